"""Exercise checkers: whatever the learner hands in, feedback, never a traceback.

A checker compares the learner's answer with a reference on a few cases. When
the answer is wrong it looks for the *kind* of wrong: each exercise lists the
typical mistakes as functions (or values) with the hint to give when the
answer behaves like one of them. Anything else (nothing, a wrong type, a
function that raises or returns ``None``) gets a generic hint that says what
happened.

Every checker returns a :class:`Feedback`, which Jupyter shows as a short
message; tests read its ``passed`` and ``hint``.

Extension points, so an exercise never rewrites a hint by matching its text:

- :func:`run_learner_code` runs the learner's function safely (copies of the
  arguments, no NumPy warnings, any exception turned into a message);
- ``diagnoses=``: functions of the answer that return a hint or None, asked in
  order after the typical mistakes (:func:`overflows` is one);
- ``fallback=``: the hint when nothing more specific applies.

The website answers too. A value or choice exercise is plain data
(:class:`ValueExercise`, :class:`ChoiceExercise`); its feedback carries that data
as JSON next to a hidden answer form, and the book's ``_static/lossbook-answers.js``
reveals the form and checks typed answers with the same rules, kernel-free.
Text typed on the page becomes an answer by :func:`parse_typed_answer`, mirrored
in that script.

A typed answer is digits, so it counts with the precision it was typed to: each
number is a :class:`TypedNumber`, which knows half a unit in its last typed digit
(``2.1203`` -> 0.00005; ``1.20e-3`` -> 0.000005, from the typed significant digits)
and how many significant digits it has. A typed answer matches a candidate (the
expected value, then each typical mistake's, in that order) when every number is
either the same within the candidate's tolerance, or the candidate rounded to the
digits typed (``|typed - candidate| <= half a unit``, plus a relative slack of 1e-9
for float arithmetic) with at least :data:`TYPED_DIGITS` significant digits. So
``2.1203`` and ``2.120264`` are right for -log 0.12 = 2.1202635..., and ``5.2983`` gets
the hint of the mistake -log 0.005; ``0.25``, ``9`` and ``1.36`` are right where the
value is exactly that. When nothing matches, an answer that would match some candidate
but for too few digits (``2.12``, ``2``) gets :data:`TYPED_DIGITS_HINT`, and one that is
close but not the value rounded (``2.1202``, cut off) :data:`TYPED_ROUNDED_HINT`. A float
computed in Jupyter is not typed: it keeps the tolerance and :data:`ROUNDED_HINT`. The
script repeats the two typed hints' text (the exported JSON does not carry them, and
executed notebooks keep their outputs); the site test compares the replies.
"""

from __future__ import annotations

import html
import json
import math
import re
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

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
#: A number typed on the website counts as the candidate rounded when it has this many
#: significant digits: with fewer, a typical mistake often rounds to the same digits.
TYPED_DIGITS = 4
TYPED_DIGITS_HINT = (
    f"Type at least {TYPED_DIGITS} significant digits (0.1235 rather than 0.12): with "
    "fewer, the check cannot tell the right answer from a typical mistake rounded."
)
TYPED_ROUNDED_HINT = (
    "Close, but not the same number rounded: check the last digits you typed, and round "
    "rather than cut off (0.123456 to four decimals is 0.1235)."
)
NOT_FINITE_HINT = "That is not a finite number: give the value your computation gives."
DEFAULT_VALUE_HINT = "Recompute it step by step and print the intermediate numbers."

#: What the website says under a coding exercise, where no Python runs.
RUN_NOTE = (
    "This exercise runs Python: open the chapter in Colab or JupyterLab with the launch "
    "button at the top of the page, or download it (.ipynb), and run the cell there."
)

# The feedback's border colours keep 3:1 against white and near-black pages (WCAG's
# contrast for graphics); its text inherits the page's colour, so it is readable on
# every theme of the book and of JupyterLab.
_BORDER = {True: "#2e8540", False: "#c25400"}


@dataclass(frozen=True)
class Feedback:
    """The answer to one attempt at one exercise.

    ``web`` is the exercise's definition when the website can check it without a
    kernel (a :class:`ValueExercise` or :class:`ChoiceExercise`), ``"run"`` for a
    coding exercise, None otherwise; it only changes the HTML rendering.
    """

    exercise: str
    passed: bool
    message: str
    hint: str = ""
    web: object = field(default=None, compare=False, repr=False)

    def __str__(self) -> str:
        mark = "Correct" if self.passed else "Not yet"
        text = f"[{self.exercise}] {mark}: {self.message}"
        return f"{text}\nHint: {self.hint}" if self.hint else text

    __repr__ = __str__

    def _repr_html_(self) -> str:
        box = feedback_html(self.exercise, self.passed, self.message, self.hint)
        if self.web is None:
            return box
        if self.web == "run":
            extra = f'<p class="lossbook-run-note" hidden>{html.escape(RUN_NOTE)}</p>'
        else:
            extra = self.web.form_html()
        return f'<div class="lossbook-check">{box}{extra}</div>'


def feedback_html(exercise: str, passed: bool, message: str, hint: str) -> str:
    """The feedback box; ``_static/lossbook-answers.js`` builds the same markup."""
    mark = "✔ Correct" if passed else "✘ Not yet"
    hint_html = f"<br><b>Hint:</b> {html.escape(hint)}" if hint else ""
    return (
        f'<div class="lossbook-feedback" style="border-left:4px solid {_BORDER[passed]};'
        f'padding:.3em .8em;margin:.3em 0;color:inherit">'
        f"<b>{mark}</b> <small>[{html.escape(exercise)}]</small><br>"
        f"{html.escape(message)}{hint_html}</div>"
    )


@dataclass(frozen=True)
class Mistake:
    """A typical wrong answer: how it behaves and what to tell the learner.

    ``rtol`` and ``atol`` say how close counts as behaving like it (a number typed
    from a printout can be caught with a wider ``atol``).
    """

    behaves_like: Callable | object
    hint: str
    rtol: float = RTOL
    atol: float = ATOL


# -- running the learner's code ------------------------------------------------------


@dataclass(frozen=True)
class Run:
    """What the learner's code did: its ``result``, or the ``error`` it raised."""

    result: object = None
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


def run_learner_code(function, *args) -> Run:
    """Call ``function(*args)`` the way every checker does: on copies of the arrays (the
    learner's code may change its inputs), with NumPy's warnings silenced (overflow and
    log 0 are what the checker looks at, not noise), any exception caught and told as
    ``"TypeError: ... (line 3)"``."""
    try:
        with np.errstate(all="ignore"):
            return Run(function(*[np.array(a, copy=True) for a in args]))
    except Exception as error:  # noqa: BLE001 - any learner error becomes feedback
        where = traceback.extract_tb(error.__traceback__)[-1]
        return Run(error=f"{type(error).__name__}: {error} (line {where.lineno})")


def overflows(hint: str, *, reference: Callable, cases: Sequence[tuple]) -> Callable:
    """A diagnosis: ``hint`` when the answer is right on every case where its result is
    finite but gives inf or nan on a case where the reference is finite (the naive
    formula, overflowing). Cases where the answer raises say nothing either way."""

    def diagnose(answer):
        right = overflowed = False
        for case in cases:
            run = run_learner_code(answer, *case)
            array = _as_number_array(run.result) if run.ok and run.result is not None else None
            if array is None:
                continue
            if np.all(np.isfinite(array)):
                if not _same(array, reference(*case)):
                    return None
                right = True
            elif np.all(np.isfinite(reference(*case))):
                overflowed = True
        return hint if right and overflowed else None

    return diagnose


def _as_number_array(value):
    """The answer as a float array, or None when it is not numbers."""
    if isinstance(value, str | bytes):
        return None  # "7" is text a learner typed by mistake, not a number
    try:
        array = np.asarray(value, dtype=float)
    except (TypeError, ValueError, OverflowError):
        return None
    return array


def _same(answer, expected, rtol=RTOL, atol=ATOL) -> bool:
    answer = _as_number_array(answer)
    expected = np.asarray(expected, dtype=float)
    if answer is None or answer.shape != expected.shape:
        return False
    return bool(np.allclose(answer, expected, rtol=rtol, atol=atol, equal_nan=False))


def _describe(value) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _diagnose(diagnoses, answer):
    """The first hint a diagnosis gives; a diagnosis that fails gives none."""
    for diagnosis in diagnoses:
        try:
            with np.errstate(all="ignore"):
                hint = diagnosis(answer)
        except Exception:  # noqa: BLE001 - a diagnosis that cannot apply says nothing
            continue
        if hint:
            return hint
    return None


# -- coding exercises ------------------------------------------------------------------


def check_function(
    exercise: str,
    answer,
    *,
    reference: Callable,
    cases: Sequence[tuple],
    mistakes: Sequence[Mistake] = (),
    diagnoses: Sequence[Callable] = (),
    fallback: str = "Compare your code with the formula, term by term, on this small input.",
    signature: str,
    success: str,
) -> Feedback:
    """Check a learner's function against ``reference`` on every case.

    ``cases`` are tuples of positional arguments; ``signature`` is how the
    exercise names the function (``"my_mse(y_true, y_pred)"``), used in hints.
    When the answer is wrong, the hint is the first that applies of: a typical
    mistake it behaves like, a ``diagnoses`` function's hint (each takes the
    answer and returns a hint or None), a shape or not-finite remark, ``fallback``.
    """

    def feedback(passed, message, hint=""):
        return Feedback(exercise, passed, message, hint, web="run")

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
            run = run_learner_code(answer, *case)
            got = run.result
            shown = ", ".join(_describe(np.asarray(a).tolist()) for a in case)
            if not run.ok:
                return feedback(
                    False,
                    f"on ({shown}) your function raised {run.error}.",
                    _first_hint(mistakes, None, case)
                    or _diagnose(diagnoses, answer)
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
            hint = (
                _consistent_hint(mistakes, answer, cases)
                or _first_hint(mistakes, got, case)
                or _diagnose(diagnoses, answer)
            )
            if hint is None and array.shape != np.shape(expected):
                hint = (
                    f"The result has shape {array.shape}; expected {np.shape(expected)}. "
                    "Did you reduce (average or sum) over the right axis?"
                )
            if hint is None and not np.all(np.isfinite(array)):
                hint = "The result is not finite: look for a division by zero or a log of 0."
            return feedback(
                False,
                f"on ({shown}) your function returned {_describe(_tidy(array))}, "
                f"expected {_describe(_tidy(expected))}.",
                hint or fallback,
            )
        return feedback(True, success)
    except Exception as error:  # noqa: BLE001 - the checker itself must never raise
        return feedback(
            False,
            f"the checker could not read this answer ({type(error).__name__}: {error}).",
            f"Pass a function written as {signature}.",
        )


def _consistent_hint(mistakes, answer, cases):
    """The hint of the first mistake the answer agrees with on every case.

    Two mistakes can give the same number on one input (dividing by n - 1 and taking
    absolute values, say); agreeing on all the cases tells them apart.
    """
    results = [run_learner_code(answer, *case).result for case in cases]
    for mistake in mistakes:
        if callable(mistake.behaves_like) and all(
            got is not None and _same(got, _model(mistake, case), mistake.rtol, mistake.atol)
            for got, case in zip(results, cases, strict=True)
        ):
            return mistake.hint
    return None


def _model(mistake, case):
    """What a typical mistake returns on a case (nan where it cannot apply)."""
    run = run_learner_code(mistake.behaves_like, *case)
    return run.result if run.ok else np.nan


def _first_hint(mistakes, got, case):
    """The hint of the first typical mistake the answer behaves like on this case."""
    for mistake in mistakes:
        if not callable(mistake.behaves_like):
            if got is None and mistake.behaves_like is None:
                return mistake.hint
            continue
        if got is None:
            continue
        run = run_learner_code(mistake.behaves_like, *case)
        if run.ok and _same(got, run.result, mistake.rtol, mistake.atol):
            return mistake.hint
    return None


# -- value and choice exercises: data the website checks too ---------------------------


@dataclass(frozen=True)
class ValueExercise:
    """A number (or a short list of numbers) to compute; ``what`` names it in hints.

    Mistakes are values here (a function of the answer could not run on the website),
    checked in order after the right answer, each with its own tolerance.
    """

    exercise: str
    expected: object
    what: str
    success: str
    mistakes: Sequence[Mistake] = ()
    fallback: str = DEFAULT_VALUE_HINT

    def check(self, answer) -> Feedback:
        web = self if np.ndim(self.expected) <= 1 else None

        def feedback(passed, message, hint=""):
            return Feedback(self.exercise, passed, message, hint, web=web)

        what = self.what
        try:
            if answer is None or answer is Ellipsis:
                return feedback(
                    False,
                    "there is no answer yet.",
                    f"Give {what} (in the notebook, in place of None).",
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
            if _same(array, self.expected):
                return feedback(True, self.success)
            expected = np.asarray(self.expected, dtype=float)
            typed = _is_typed(answer)
            if typed and _typed_verdict(answer, expected, RTOL, ATOL) == "same":
                return feedback(True, self.success)
            hint = next(
                (
                    m.hint
                    for m in self.mistakes
                    if _same(array, m.behaves_like, m.rtol, m.atol)
                    or (typed and _typed_verdict(answer, m.behaves_like, m.rtol, m.atol) == "same")
                ),
                None,
            )
            if hint is None and typed:
                candidates = [(expected, RTOL, ATOL)]
                candidates += [(m.behaves_like, m.rtol, m.atol) for m in self.mistakes]
                if any(_typed_verdict(answer, *c) == "short" for c in candidates):
                    hint = TYPED_DIGITS_HINT
            if hint is None and _same(array, expected, ROUNDED_RTOL, ROUNDED_ATOL):
                hint = TYPED_ROUNDED_HINT if typed else ROUNDED_HINT
            if hint is None and array.shape != expected.shape:
                hint = _shape_hint(expected.shape, array.shape)
            if hint is None and not np.all(np.isfinite(array)):
                hint = NOT_FINITE_HINT
            return feedback(
                False, f"{_describe(_tidy(array))} is not {what}.", hint or self.fallback
            )
        except Exception as error:  # noqa: BLE001 - the checker itself must never raise
            return feedback(
                False, f"the checker could not read this answer ({error}).", f"Compute {what}."
            )

    def definition(self) -> dict:
        """The exercise as JSON data for the website's script."""
        return {
            "kind": "value",
            "exercise": self.exercise,
            "expected": _json_numbers(self.expected),
            "shape": list(np.shape(self.expected)),
            "rtol": RTOL,
            "atol": ATOL,
            "rounded": {"rtol": ROUNDED_RTOL, "atol": ROUNDED_ATOL, "hint": ROUNDED_HINT},
            "mistakes": [
                {
                    "value": _json_numbers(m.behaves_like),
                    "hint": m.hint,
                    "rtol": m.rtol,
                    "atol": m.atol,
                }
                for m in self.mistakes
                if _as_number_array(m.behaves_like) is not None
            ],
            "what": self.what,
            "success": self.success,
            "fallback": self.fallback,
            "notFiniteHint": NOT_FINITE_HINT,
        }

    def form_html(self) -> str:
        data = self.definition()
        label = f"Your answer to {self.exercise}: {self.what}"
        if len(self.expected_shape) == 1:
            label += " (numbers separated by commas)"
        return (
            f'<form class="lossbook-answer" data-kind="value" hidden>'
            f'<label>{html.escape(label)} <input type="text" name="answer" autocomplete="off" '
            f'spellcheck="false"></label> <button type="submit">Check</button>'
            f'<div class="lossbook-answer-feedback" aria-live="polite"></div>'
            f"{_json_script(data)}</form>"
        )

    @property
    def expected_shape(self) -> tuple:
        return np.shape(self.expected)


@dataclass(frozen=True)
class ChoiceExercise:
    """Pick one option; ``options`` maps each option's key to its hint ("" for the right
    one). ``question`` and ``labels`` (key -> text) are shown by quiz fields."""

    exercise: str
    options: dict
    correct: str
    success: str
    question: str = ""
    labels: dict | None = None

    def check(self, answer) -> Feedback:
        def feedback(passed, message, hint=""):
            return Feedback(self.exercise, passed, message, hint, web=self)

        try:
            key = str(answer).strip().strip("'\"").upper() if answer is not None else ""
            if key == self.correct.upper():
                return feedback(True, self.success)
            matches = [k for k in self.options if k.upper() == key]
            if not matches:
                listed = ", ".join(repr(k) for k in self.options)
                return feedback(
                    False,
                    f"{_describe(answer)} is not one of the options.",
                    f"Answer with one of {listed}.",
                )
            return feedback(False, f"{key} is not the best answer.", self.options[matches[0]])
        except Exception as error:  # noqa: BLE001 - the checker itself must never raise
            return feedback(False, f"the checker could not read this answer ({error}).")

    def definition(self) -> dict:
        return {
            "kind": "choice",
            "exercise": self.exercise,
            "options": [[k, h] for k, h in self.options.items()],
            "correct": self.correct,
            "success": self.success,
        }

    def form_html(self, *, visible_question: bool = False) -> str:
        data = self.definition()
        labels = self.labels or {}
        legend = (
            self.question
            if visible_question and self.question
            else (f"Your answer to {self.exercise}")
        )
        radios = "".join(
            f'<label style="display:block"><input type="radio" name="answer" '
            f'value="{html.escape(k)}"> {html.escape(k)}'
            f"{': ' + html.escape(labels[k]) if k in labels else ''}</label>"
            for k in self.options
        )
        return (
            f'<form class="lossbook-answer" data-kind="choice" hidden>'
            f'<fieldset style="border:0;padding:0;margin:.3em 0">'
            f"<legend>{html.escape(legend)}</legend>{radios}</fieldset>"
            f'<button type="submit">Check</button>'
            f'<div class="lossbook-answer-feedback" aria-live="polite"></div>'
            f"{_json_script(data)}</form>"
        )


def check_value(
    exercise: str,
    answer,
    *,
    expected,
    mistakes: Sequence[Mistake] = (),
    what: str,
    success: str,
    fallback: str = DEFAULT_VALUE_HINT,
) -> Feedback:
    """Check a number (or array) the learner computed; ``what`` names it in hints.

    The website checks the same exercise with the same rules (see :class:`ValueExercise`).
    """
    return ValueExercise(exercise, expected, what, success, tuple(mistakes), fallback).check(answer)


def check_choice(
    exercise: str,
    answer,
    *,
    options: dict[str, str],
    correct: str,
    success: str,
) -> Feedback:
    """Check a multiple-choice answer; ``options`` maps each option to its hint."""
    return ChoiceExercise(exercise, dict(options), correct, success).check(answer)


# -- quizzes ---------------------------------------------------------------------------


@dataclass(frozen=True)
class QuizField:
    """A quiz question as the website shows it: the question and a radio group. In
    Jupyter (no site script) it says how to answer in code instead."""

    question: ChoiceExercise
    module: str

    def _repr_html_(self) -> str:
        keys = ", ".join(repr(k) for k in self.question.options)
        call = f'{self.module}.quiz("{self.question.exercise}", answer)'
        options = "".join(
            f"<li>{html.escape(k)}: {html.escape((self.question.labels or {}).get(k, ''))}</li>"
            for k in self.question.options
        )
        fallback = (
            f'<div class="lossbook-nojs"><p><b>{html.escape(self.question.exercise)}.</b> '
            f"{html.escape(self.question.question)}</p><ul>{options}</ul>"
            f"<p>Answer in a code cell: <code>{html.escape(call)}</code>, with answer one of "
            f"{html.escape(keys)}.</p></div>"
        )
        form = self.question.form_html(visible_question=True)
        return f'<div class="lossbook-check lossbook-quiz">{fallback}{form}</div>'

    def __repr__(self) -> str:
        return f"{self.question.exercise}: {self.question.question}"


def quiz_question(
    exercise: str,
    question: str,
    options: dict[str, str],
    correct: str,
    hints: dict[str, str],
    *,
    success: str,
) -> ChoiceExercise:
    """A quiz question with a definite answer: ``options`` maps each key to its text,
    ``hints`` each wrong key to its hint."""
    return ChoiceExercise(
        exercise,
        {k: hints.get(k, "") for k in options},
        correct,
        success,
        question=question,
        labels=dict(options),
    )


class Quiz:
    """A chapter's quiz questions by id: ``QUIZ = Quiz("ch01", [quiz_question(...), ...])``
    in the course module, ``quiz = QUIZ.check`` and ``quiz_field = QUIZ.field``."""

    def __init__(self, module: str, questions: Sequence[ChoiceExercise]):
        self.module = module
        self.questions = {q.exercise: q for q in questions}

    def check(self, exercise: str, answer) -> Feedback:
        question = self.questions.get(exercise)
        if question is None:
            known = ", ".join(self.questions)
            return Feedback(exercise, False, "there is no such quiz question.", f"Use {known}.")
        return question.check(answer)

    def field(self, exercise: str) -> QuizField:
        return QuizField(self.questions[exercise], self.module)


# -- typed answers (the website), the same rule as _static/lossbook-answers.js ---------

_NUMBER = re.compile(
    r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?|[+-]?(?:inf|infinity|nan)", re.I
)


class TypedNumber(float):
    """A number typed on the website, with how finely it was typed: ``half_step`` is half
    a unit in its last typed digit (how far rounding to that digit can move a number),
    ``digits`` its significant digits (0 for inf and nan, which have no digits)."""

    half_step: float
    digits: int

    def __new__(cls, token: str) -> TypedNumber:
        number = super().__new__(cls, token)
        parts = _DIGITS.fullmatch(token)
        if parts is None:  # inf or nan
            number.half_step, number.digits = 0.0, 0
            return number
        whole, fraction, exponent = parts.groups()
        # the unit of the last digit is 10^(exponent - decimals); built from text, so it is
        # the same double in the browser; clamped where it underflows or overflows anyway
        step = max(-400, min(400, int(exponent or 0) - len(fraction) - 1))
        number.half_step = float(f"5e{step}")
        number.digits = len((whole + fraction).lstrip("0"))
        return number


_DIGITS = re.compile(r"[+-]?([0-9]*)\.?([0-9]*)(?:[eE]([+-]?[0-9]+))?")


def parse_typed_answer(text: str):
    """What an answer typed on the page means: None when empty; a :class:`TypedNumber`
    for one number; a list of them for numbers separated by commas, semicolons or spaces
    (optionally in brackets); otherwise the text itself, stripped (a choice, or nonsense
    for a value exercise). ``1e999`` is inf and ``nan`` is nan, as in Python."""
    text = text.strip().replace("\u2212", "-")  # a typographic minus, pasted
    if not text:
        return None
    inner = text
    if len(inner) >= 2 and inner[0] + inner[-1] in ("[]", "()"):
        inner = inner[1:-1]
    tokens = [t for t in re.split(r"[\s,;]+", inner) if t]
    if tokens and all(_NUMBER.fullmatch(t) for t in tokens):
        numbers = [TypedNumber(t) for t in tokens]
        if len(numbers) == 1 and inner is text:
            return numbers[0]
        return numbers
    return text


def _is_typed(answer) -> bool:
    """Whether the answer was typed on the page (its numbers know their precision)."""
    if isinstance(answer, list) and answer:
        return all(isinstance(x, TypedNumber) for x in answer)
    return isinstance(answer, TypedNumber)


def _typed_verdict(typed, candidate, rtol, atol) -> str | None:
    """How a typed answer matches a candidate value: "same" when each number is the same
    within ``rtol``/``atol`` or the candidate rounded to the digits typed, with at least
    TYPED_DIGITS significant digits; "short" when that holds but for too few digits;
    None otherwise. ``same`` and ``typedVerdict`` in the site's script do the same."""
    candidate = np.asarray(candidate, dtype=float)
    if np.shape(typed) != candidate.shape:
        return None
    verdict = "same"
    numbers = typed if isinstance(typed, list) else [typed]
    for number, value in zip(numbers, candidate.ravel().tolist(), strict=True):
        if _same(float(number), value, rtol, atol):
            continue
        step = number.half_step
        rounded_alike = (
            math.isfinite(number)
            and math.isfinite(value)
            and abs(number - value) <= step + 1e-9 * (step + abs(value))
        )
        if not rounded_alike:
            return None
        if number.digits < TYPED_DIGITS:
            verdict = "short"
    return verdict


# -- helpers ---------------------------------------------------------------------------


def _shape_hint(expected: tuple, got: tuple) -> str:
    if len(expected) == 1 and len(got) <= 1:
        count = got[0] if got else 1
        return f"Give {expected[0]} numbers in a list, in the order asked; you gave {count}."
    if not expected:
        return f"Give one number; you gave an array of shape {got}."
    return f"Expected an array of shape {expected}, got {got}."


def _tidy(value):
    """Round for display so hints stay short and stable (NumPy's rounding, which the
    website's script repeats)."""
    with np.errstate(all="ignore"):  # 1e303 rounds to inf, as on the website
        array = np.round(np.asarray(value, dtype=float), 6)
    return float(array) if array.ndim == 0 else array.tolist()


def _json_numbers(value):
    """Numbers for JSON, with inf and nan as the strings "inf", "-inf", "nan"."""
    array = np.asarray(value, dtype=float)

    def one(x):
        return x if math.isfinite(x) else ("nan" if math.isnan(x) else ("inf" if x > 0 else "-inf"))

    return one(float(array)) if array.ndim == 0 else [one(float(x)) for x in array.ravel()]


def _json_script(data: dict) -> str:
    text = json.dumps(data, ensure_ascii=False).replace("</", "<\\/")
    return f'<script type="application/json" class="lossbook-answer-data">{text}</script>'
