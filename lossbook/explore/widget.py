"""The live view in Jupyter: ipywidgets controls, the figure as an image, the caption.

Moving a control calls the explorer's update function in the kernel. An error there
would otherwise go to the kernel's log, where a learner never looks; it is shown
under the figure instead, and cleared by the next update that works.
"""

from __future__ import annotations

import html
import traceback


def _caption_html(text: str) -> str:
    return f'<pre style="margin:0;white-space:pre-wrap">{html.escape(text)}</pre>'


def live_widget(explorer):
    """A VBox: title, one labelled control per explorer control, image, caption, errors."""
    import ipywidgets as widgets

    controls = [c.widget() for c in explorer.controls]
    image = widgets.Image(value=explorer.render(**explorer.initial_values), format="png")
    caption = widgets.HTML(value=_caption_html(explorer.caption))
    errors = widgets.Output()

    def on_change(_change):
        values = {c.name: w.value for c, w in zip(explorer.controls, controls, strict=True)}
        try:
            image.value = explorer.render(**values)
        except Exception:  # noqa: BLE001 - any error in the learner's update is shown to them
            errors.outputs = ()
            errors.append_stderr(
                f"The explorer's update failed for {values}:\n{traceback.format_exc()}"
            )
            return
        errors.outputs = ()
        caption.value = _caption_html(explorer.caption)

    for control in controls:
        control.observe(on_change, names="value")
    title = widgets.HTML(value=f"<b>{html.escape(explorer.title)}</b>")
    return widgets.VBox([title, *controls, image, caption, errors])
