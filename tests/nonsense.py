"""What a learner might hand an exercise checker instead of an answer.

Every checker must answer each of these with feedback (``passed`` false and a hint),
never an exception; the chapter tests parametrise over this one list.
"""


def raises(*_args):
    raise RuntimeError("the learner's code failed")


NONSENSE = [
    None,
    ...,
    3,
    "text",
    [1, 2],
    raises,
    lambda: 1,  # a function that takes no arguments
    lambda *a: None,  # forgot the return statement
    lambda *a: "text",  # returns text
]
