"""lossbook: the loss functions of the course, in plain NumPy.

``import lossbook as lb`` gives the activations, the losses, their gradients and
the information measures. The heavier parts (explorers, exercise checkers, plots)
live in submodules that import matplotlib and ipywidgets only when used:
``lossbook.explore``, ``lossbook.checks``, ``lossbook.course.chNN``.
"""

from lossbook.activations import *  # noqa: F403
from lossbook.classification import *  # noqa: F403
from lossbook.cost_sensitive import *  # noqa: F403
from lossbook.information import *  # noqa: F403
from lossbook.regression import *  # noqa: F403

__version__ = "0.2.0"
