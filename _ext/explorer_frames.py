"""Explorer frames out of the page: each frame becomes an image file under _images/explorers/.

A notebook's explorer output carries its frames as ``data:`` URLs (the notebook must
work alone, and the page must open from file://, where a script cannot fetch). Inside
the built page those bytes would be parsed before anything is painted, so while the
doctree is resolved, each explorer's frames are written as PNG files named by their
content hash (identical frames are shared) and the page keeps only their URLs: the
first frame a normal ``<img>`` with its size, the others loaded by the player when
the explorer nears the viewport or a slider moves.
"""

from __future__ import annotations

import hashlib
import posixpath
from pathlib import Path

from docutils import nodes

from lossbook.explore.player import with_frame_urls

FOLDER = "explorers"


def move_frames_out(app, doctree, docname):
    if app.builder.format != "html":
        return
    folder = Path(app.builder.outdir) / app.builder.imagedir / FOLDER
    page_folder = posixpath.dirname(docname)

    def store(png: bytes) -> str:
        name = f"{hashlib.sha256(png).hexdigest()[:20]}.png"
        path = folder / name
        if not path.exists():
            folder.mkdir(parents=True, exist_ok=True)
            path.write_bytes(png)
        target = posixpath.join(app.builder.imagedir, FOLDER, name)
        return posixpath.relpath(target, page_folder or ".")

    for raw in doctree.findall(nodes.raw):
        text = raw.astext()
        if "html" not in raw.get("format", "").split() or "lossbook-explorer" not in text:
            continue
        moved = with_frame_urls(text, store)
        raw.children = [nodes.Text(moved)]


def setup(app):
    app.connect("doctree-resolved", move_frames_out)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
