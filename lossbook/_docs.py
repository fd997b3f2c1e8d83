"""The Parameters/Returns wording that many losses share, written once."""


def filled(**texts):
    """Decorator: replace each ``{name}`` mark in the docstring by ``texts[name]``.

    The marks stand alone on their lines, indented like a section of the docstring; a
    text continues on the following lines with the same indentation.
    """

    def fill(func):
        for name, text in texts.items():
            func.__doc__ = func.__doc__.replace("{" + name + "}", text)
        return func

    return fill
