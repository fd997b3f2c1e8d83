"""Exercise checkers: whatever the learner hands in, feedback, never a traceback.

A checker compares the learner's answer with a reference on a few cases. When
the answer is wrong it looks for the *kind* of wrong: each exercise lists the
typical mistakes as functions (or values) with the hint to give when the
answer behaves like one of them. Anything else (nothing, a wrong type, a
function that raises or returns ``None``) gets a generic hint that says what
happened.

Every checker returns a :class:`Feedback`, which Jupyter shows as a short,
coloured message; tests read its ``passed`` and ``hint``.
"""

from __future__ import annotations

import html
import math
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

#: Relative and absolute tolerance for "the same number" in every checker.
RTOL = 1e-6
ATOL = 1e-9

#: An answer this close but not the same is most likely a number retyped from a printout.
ROUNDED_RTOL = 3e-3
ROUNDED_ATOL = 1e-4
ROUNDED_HINT = (
    "Close, but not exact: it looks rounded. Pass the values your code computes "
    "(the variables themselves), not numbers copied from a printout."
)


@dataclass(frozen=True)
class Feedback:
    """The answer to one attempt at one exercise."""

    exercise: str
    passed: bool
    message: str
    hint: str = ""

    def __str__(self) -> str:
        mark = "Correct" if self.passed else "Not yet"
        text = f"[{self.exercise}] {mark}: {self.message}"
        return f"{text}\nHint: {self.hint}" if self.hint else text

    __repr__ = __str__

    def _repr_html_(self) -> str:
        color = "#1a7f37" if self.passed else "#b35900"
        mark = "✔ Correct" if self.passed else "✘ Not yet"
        hint = f"<br><b>Hint:</b> {html.escape(self.hint)}" if self.hint else ""
        return (
            f'<div class="lossbook-feedback" style="border-left:4px solid {color};'
            f'padding:.3em .8em;margin:.3em 0">'
            f'<b style="color:{color}">{mark}</b> '
            f"<small>[{html.escape(self.exercise)}]</small><br>"
            f"{html.escape(self.message)}{hint}</div>"
        )


@dataclass(frozen=True)
class Mistake:
    """A typical wrong answer: how it behaves and what to tell the learner."""

    behaves_like: Callable | object
    hint: str


def _as_number_array(value):
    """The answer as a float array, or None when it is not numbers."""
    if isinstance(value, str | bytes):
        return None  # "7" is text a learner typed by mistake, not a number
    try:
        array = np.asarray(value, dtype=float)
    except (TypeError, ValueError, OverflowError):
        return None
    return array


def _same(answer, expected) -> bool:
    answer = _as_number_array(answer)
    expected = np.asarray(expected, dtype=float)
    if answer is None or answer.shape != expected.shape:
        return False
    return bool(np.allclose(answer, expected, rtol=RTOL, atol=ATOL, equal_nan=False))


def _rounded(answer: np.ndarray, expected) -> bool:
    expected = np.asarray(expected, dtype=float)
    return answer.shape == expected.shape and bool(
        np.allclose(answer, expected, rtol=ROUNDED_RTOL, atol=ROUNDED_ATOL)
    )


def _describe(value) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _call(function, args):
    """Call the learner's function; return (result, error message or None)."""
    try:
        with np.errstate(all="ignore"):
            return function(*[np.array(a, copy=True) for a in args]), None
    except Exception as error:  # noqa: BLE001 - any learner error becomes feedback
        where = traceback.extract_tb(error.__traceback__)[-1]
        return None, f"{type(error).__name__}: {error} (line {where.lineno})"


def check_function(
    exercise: str,
    answer,
    *,
    reference: Callable,
    cases: Sequence[tuple],
    mistakes: Sequence[Mistake] = (),
    signature: str,
    success: str,
    overflow_hint: str = "",
) -> Feedback:
    """Check a learner's function against ``reference`` on every case.

    ``cases`` are tuples of positional arguments; ``signature`` is how the
    exercise names the function (``"my_mse(y_true, y_pred)"``), used in hints.
    ``overflow_hint`` is said when the function is right wherever its result is finite
    but gives inf or nan where the reference does not: the naive formula, overflowing.
    """

    def feedback(passed, message, hint=""):
        return Feedback(exercise, passed, message, hint)

    try:
        if answer is None or answer is Ellipsis:
            return feedback(False, "there is no answer yet.", f"Define {signature} and pass it.")
        if not callable(answer):
            return feedback(
                False,
                f"expected a function, got {type(answer).__name__} {_describe(answer)}.",
                f"Pass the function itself, {signature.split('(')[0]}, without calling it.",
            )
        for case in cases:
            expected = reference(*case)
            got, error = _call(answer, case)
            shown = ", ".join(_describe(np.asarray(a).tolist()) for a in case)
            if error is not None:
                return feedback(
                    False,
                    f"on ({shown}) your function raised {error}.",
                    _first_hint(mistakes, None, case)
                    or "Run it on that input in a cell and read the error.",
                )
            if got is None:
                return feedback(
                    False,
                    "your function returned None.",
                    "Replace the ... with your code and return the result: "
                    "a function without a return statement gives None.",
                )
            if _same(got, expected):
                continue
            array = _as_number_array(got)
            if array is None:
                return feedback(
                    False,
                    f"your function returned {type(got).__name__} {_describe(got)}, not a number.",
                    "Return a number (or a NumPy array), computed with NumPy.",
                )
            hint = _consistent_hint(mistakes, answer, cases) or _first_hint(mistakes, got, case)
            if hint is None and array.shape != np.shape(expected):
                hint = (
                    f"The result has shape {array.shape}; expected {np.shape(expected)}. "
                    "Did you reduce (average or sum) over the right axis?"
                )
            if hint is None and overflow_hint and _overflows(answer, reference, cases):
                hint = overflow_hint
            if hint is None and not np.all(np.isfinite(array)):
                hint = "The result is not finite: look for a division by zero or a log of 0."
            return feedback(
                False,
                f"on ({shown}) your function returned {_describe(_tidy(array))}, "
                f"expected {_describe(_tidy(expected))}.",
                hint or "Compare your code with the formula, term by term, on this small input.",
            )
        return feedback(True, success)
    except Exception as error:  # noqa: BLE001 - the checker itself must never raise
        return feedback(
            False,
            f"the checker could not read this answer ({type(error).__name__}: {error}).",
            f"Pass a function written as {signature}.",
        )


def check_value(
    exercise: str,
    answer,
    *,
    expected,
    mistakes: Sequence[Mistake] = (),
    what: str,
    success: str,
) -> Feedback:
    """Check a number (or array) the learner computed; ``what`` names it in hints."""

    def feedback(passed, message, hint=""):
        return Feedback(exercise, passed, message, hint)

    try:
        if answer is None or answer is Ellipsis:
            return feedback(
                False, "there is no answer yet.", f"In the cell, replace None with {what}."
            )
        if callable(answer):
            return feedback(
                False,
                "you passed a function; this exercise wants its result.",
                f"Call it and pass {what}.",
            )
        array = _as_number_array(answer)
        if array is None:
            return feedback(
                False,
                f"expected numbers, got {type(answer).__name__} {_describe(answer)}.",
                f"Give {what}, computed with Python or NumPy (numbers, not text).",
            )
        if _same(array, expected):
            return feedback(True, success)
        hint = next((m.hint for m in mistakes if _same(array, m.behaves_like)), None)
        if hint is None and _rounded(array, expected):
            hint = ROUNDED_HINT
        if hint is None and array.shape != np.shape(expected):
            hint = _shape_hint(np.shape(expected), array.shape)
        return feedback(
            False,
            f"{_describe(_tidy(array))} is not {what}.",
            hint or "Recompute it step by step and print the intermediate numbers.",
        )
    except Exception as error:  # noqa: BLE001 - the checker itself must never raise
        return feedback(
            False, f"the checker could not read this answer ({error}).", f"Compute {what}."
        )


def check_choice(
    exercise: str,
    answer,
    *,
    options: dict[str, str],
    correct: str,
    success: str,
) -> Feedback:
    """Check a multiple-choice answer; ``options`` maps each option to its hint."""
    try:
        key = str(answer).strip().strip("'\"").upper() if answer is not None else ""
        if key == correct.upper():
            return Feedback(exercise, True, success)
        if key not in {k.upper() for k in options}:
            listed = ", ".join(repr(k) for k in options)
            return Feedback(
                exercise,
                False,
                f"{_describe(answer)} is not one of the options.",
                f"Answer with one of {listed}.",
            )
        hint = next(h for k, h in options.items() if k.upper() == key)
        return Feedback(exercise, False, f"{key} is not the best answer.", hint)
    except Exception as error:  # noqa: BLE001 - the checker itself must never raise
        return Feedback(exercise, False, f"the checker could not read this answer ({error}).")


def _shape_hint(expected: tuple, got: tuple) -> str:
    if len(expected) == 1 and len(got) <= 1:
        count = got[0] if got else 1
        return f"Give {expected[0]} numbers in a list, in the order asked; you gave {count}."
    if not expected:
        return f"Give one number; you gave an array of shape {got}."
    return f"Expected an array of shape {expected}, got {got}."


def _overflows(answer, reference, cases) -> bool:
    """Right on every case where the answer is finite, inf or nan on some case where the
    reference is finite (cases where the answer raises say nothing either way)."""
    right = overflowed = False
    for case in cases:
        got, error = _call(answer, case)
        array = None if error or got is None else _as_number_array(got)
        if array is None:
            continue
        if np.all(np.isfinite(array)):
            if not _same(array, reference(*case)):
                return False
            right = True
        elif np.all(np.isfinite(reference(*case))):
            overflowed = True
    return right and overflowed


def _consistent_hint(mistakes, answer, cases):
    """The hint of the first mistake the answer agrees with on every case.

    Two mistakes can give the same number on one input (dividing by n - 1 and taking
    absolute values, say); agreeing on all the cases tells them apart.
    """
    results = [_call(answer, case)[0] for case in cases]
    for mistake in mistakes:
        if callable(mistake.behaves_like) and all(
            got is not None and _same(got, _model(mistake, case))
            for got, case in zip(results, cases, strict=True)
        ):
            return mistake.hint
    return None


def _model(mistake, case):
    """What a typical mistake returns on a case (nan where it cannot apply)."""
    try:
        with np.errstate(all="ignore"):  # a mistake may divide by zero: no warning
            return mistake.behaves_like(*case)
    except Exception:  # noqa: BLE001 - a mistake that cannot apply matches nothing
        return np.nan


def _first_hint(mistakes, got, case):
    """The hint of the first typical mistake the answer behaves like on this case."""
    for mistake in mistakes:
        if not callable(mistake.behaves_like):
            if got is None and mistake.behaves_like is None:
                return mistake.hint
            continue
        if got is None:
            continue
        try:
            with np.errstate(all="ignore"):  # a mistake may divide by zero: no warning
                model = mistake.behaves_like(*case)
        except Exception:  # noqa: BLE001 - a mistake that cannot apply is skipped
            continue
        if _same(got, model):
            return mistake.hint
    return None


def _tidy(value):
    """Round for display so hints stay short and stable."""
    array = np.asarray(value, dtype=float)
    if array.ndim == 0:
        number = float(array)
        return round(number, 6) if math.isfinite(number) else number
    return np.round(array, 6).tolist()
