"""What each chapter needs beyond the losses: its data, explorers and exercise checkers.

One module per chapter (``lossbook.course.ch01`` ...), imported by that chapter's
notebook. These modules import matplotlib and ipywidgets only where they draw.
"""
