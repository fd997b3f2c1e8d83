"""The browser tests need a built offline site and Chromium: `make test-site` runs them."""

import os

collect_ignore_glob = [] if os.environ.get("LOSSBOOK_SITE") else ["site/*"]
