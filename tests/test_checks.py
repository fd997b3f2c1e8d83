"""The checkers answer anything with feedback; chapter 01's checkers give their hints."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from lossbook import course
from lossbook.checks import (
    DEFAULT_VALUE_HINT,
    NOT_FINITE_HINT,
    ROUNDED_HINT,
    TYPED_DIGITS_HINT,
    TYPED_ROUNDED_HINT,
    ChoiceExercise,
    Feedback,
    Mistake,
    Quiz,
    TypedNumber,
    ValueExercise,
    check_choice,
    check_function,
    check_value,
    overflows,
    parse_typed_answer,
    quiz_question,
    run_learner_code,
)
from lossbook.course import ch01
from tests import nonsense


def reference(a, b):
    return np.mean((np.asarray(b) - np.asarray(a)) ** 2)


def raises(*_):
    raise RuntimeError("boom")


class Weird:
    def __array__(self, *args, **kwargs):
        raise RuntimeError("cannot be an array")


NONSENSE = [
    None,
    ...,
    3,
    "my_mse",
    [1, 2],
    Weird(),
    lambda: 1,
    lambda a, b: "text",
    raises,
    lambda a, b: None,
    lambda a, b: Weird(),
    lambda a, b: [1, 2, 3],
    lambda a, b: np.nan,
]


@pytest.mark.parametrize("answer", NONSENSE)
def test_function_checker_never_raises(answer):
    feedback = check_function(
        "ex", answer, reference=reference, cases=[([1.0], [2.0])], signature="f(a, b)", success="ok"
    )
    assert isinstance(feedback, Feedback)
    assert not feedback.passed
    assert feedback.hint, f"no hint for {answer!r}"
    assert "Traceback" not in str(feedback)


@pytest.mark.parametrize("answer", [*NONSENSE, np.array([1.0, 2.0]), "7"])
def test_value_checker_never_raises(answer):
    feedback = check_value("ex", answer, expected=7.0, what="the loss", success="ok")
    assert isinstance(feedback, Feedback) and not feedback.passed and feedback.hint


@pytest.mark.parametrize("answer", [*NONSENSE, "C", 1])
def test_choice_checker_never_raises(answer):
    feedback = check_choice(
        "ex", answer, options={"A": "hint a", "B": "hint b"}, correct="B", success="ok"
    )
    assert isinstance(feedback, Feedback) and not feedback.passed and feedback.hint


def test_choice_accepts_case_and_quotes():
    assert check_choice("ex", " b ", options={"A": "", "B": ""}, correct="B", success="ok").passed


def test_function_checker_names_what_happened():
    fb = check_function(
        "ex", raises, reference=reference, cases=[([1.0], [2.0])], signature="f(a, b)", success="ok"
    )
    assert "RuntimeError: boom" in fb.message
    fb = check_function(
        "ex",
        lambda a, b: None,
        reference=reference,
        cases=[([1.0], [2.0])],
        signature="f(a, b)",
        success="ok",
    )
    assert "return" in fb.hint
    fb = check_function(
        "ex", 3, reference=reference, cases=[([1.0], [2.0])], signature="f(a, b)", success="ok"
    )
    assert "Pass the function itself" in fb.hint


def test_the_learners_arrays_are_copies():
    def mutating(a, b):
        a[...] = 0
        return reference(a, b)

    case = (np.array([1.0, 2.0]), np.array([2.0, 2.0]))
    check_function("ex", mutating, reference=reference, cases=[case], signature="f", success="ok")
    assert case[0].tolist() == [1.0, 2.0]


def test_a_mistake_that_matches_gives_its_hint():
    mistakes = [Mistake(lambda a, b: np.sum((np.asarray(b) - a) ** 2), "divide by n")]
    fb = check_function(
        "ex",
        lambda a, b: np.sum((np.asarray(b) - a) ** 2),
        reference=reference,
        cases=[([1.0, 2.0], [2.0, 4.0])],
        mistakes=mistakes,
        signature="f",
        success="ok",
    )
    assert fb.hint == "divide by n"


def test_feedback_renders_as_text_and_html():
    fb = Feedback("exercise 9", False, "wrong <b>", "look here")
    assert str(fb) == "[exercise 9] Not yet: wrong <b>\nHint: look here"
    assert "&lt;b&gt;" in fb._repr_html_() and "Not yet" in fb._repr_html_()


# -- chapter 01 ------------------------------------------------------------------------


def test_ch01_reference_solution_passes():
    def my_mse(y_true, y_pred):
        return np.mean((np.asarray(y_pred, float) - np.asarray(y_true, float)) ** 2)

    assert ch01.check_mean_squared_error(my_mse).passed


@pytest.mark.parametrize(
    ("wrong", "hint"),
    [
        (lambda t, p: np.mean(np.subtract(p, t)), "cancels"),
        (lambda t, p: np.mean(np.subtract(p, t)) ** 2, "squared the average"),
        (lambda t, p: np.sum(np.subtract(p, t) ** 2), "sum"),
        (lambda t, p: np.sqrt(np.mean(np.subtract(p, t) ** 2)), "RMSE"),
        (lambda t, p: np.mean(np.abs(np.subtract(p, t))), "absolute"),
        (lambda t, p: np.sum(np.subtract(p, t) ** 2) / (np.size(t) - 1), "n - 1"),
        (lambda t, p: np.mean(np.subtract(p, t) ** 2) / 2, "halved"),
        (lambda t, p: None, "return"),
    ],
)
def test_ch01_typical_mistakes_get_their_hint(wrong, hint):
    fb = ch01.check_mean_squared_error(wrong)
    assert not fb.passed and hint in fb.hint


def test_ch01_player_losses():
    assert ch01.check_player_losses([2, 7, 2, 4]).passed
    assert "squared the mean" in ch01.check_player_losses([2, 4, 2, 4]).hint
    assert "wrong order" in ch01.check_player_losses([2, 2, 7, 4]).hint
    assert "square root" in ch01.check_player_losses([2, 7**0.5, 2, 2]).hint
    assert not ch01.check_player_losses(None).passed
    assert ch01.check_better_player("B").passed
    assert "tie" in ch01.check_better_player("tie").hint.lower()


def test_ch01_explorer_numbers():
    explorer = ch01.dartboard_explorer()
    caption = explorer.update(aim=0.0, spread=0.25)
    d = ch01.distances(ch01.throws(0.0, 0.25))
    assert f"mean distance {d.mean():.3f}" in caption
    assert f"mean squared distance {(d**2).mean():.3f}" in caption
    # a steadier hand on target means a smaller loss, on both summaries
    low = ch01.dart_losses(ch01.throws(0.0, 0.25))
    high = ch01.dart_losses(ch01.throws(0.0, 1.25))
    assert all(low[k] < high[k] for k in low)


def test_ch01_first_mse_case_tells_the_mistakes_apart():
    """The hint comes from the first failing case: there every mistake gives its own number."""
    t, p = ch01.MSE_CASES[0]
    values = [ch01._mean_squared_error(t, p)] + [m.behaves_like(t, p) for m in ch01.MSE_MISTAKES]
    assert len({round(float(v), 9) for v in values}) == len(values)


def test_ch01_bullseye_is_drawn_above_the_darts():
    explorer = ch01.dartboard_explorer()
    board = explorer.figure.axes[0]
    (bullseye,) = board.lines
    (darts,) = board.collections
    assert bullseye.get_zorder() > darts.get_zorder()
    # blitting draws the animated artists in list order, over the static background
    order = list(explorer.animated)
    assert order.index(bullseye) > order.index(darts)
    # and the bullseye's orange shows in the rendered frame, at the centre of the board
    from io import BytesIO

    import matplotlib.image as mpimg

    image = mpimg.imread(BytesIO(explorer.render(aim=0.0, spread=0.25)), format="png")
    x, y = board.transData.transform((0.0, 0.0))
    height = image.shape[0]
    centre = image[round(height - y), round(x), :3]
    np.testing.assert_allclose(centre, [0xE6 / 255, 0x9F / 255, 0x00], atol=0.08)


def test_the_hint_comes_from_the_mistake_that_agrees_on_every_case():
    def n_minus_one(a, b):
        e = np.asarray(b, float) - np.asarray(a, float)
        return np.sum(e**2) / (e.size - 1)

    def absolute(a, b):
        return np.mean(np.abs(np.asarray(b, float) - np.asarray(a, float)))

    # on the first case both mistakes give 4/9; on the second they differ (5 and 4/3)
    x = 2.0 / 3.0
    cases = [([0.0, 0.0, 0.0], [x, -x, 0.0]), ([0.0, 0.0, 0.0], [3.0, 1.0, 0.0])]
    assert n_minus_one(*cases[0]) == pytest.approx(absolute(*cases[0]))
    mistakes = [Mistake(absolute, "absolute values"), Mistake(n_minus_one, "divide by n")]
    fb = check_function(
        "ex", n_minus_one, reference=reference, cases=cases, mistakes=mistakes,
        signature="f", success="ok",
    )  # fmt: skip
    assert fb.hint == "divide by n"


def test_a_rounded_copy_of_the_answer_is_told_so():
    exact = [0.863842, 0.399631]
    fb = check_value("ex", [0.8638, 0.3996], expected=exact, what="the pair", success="ok")
    assert not fb.passed and "rounded" in fb.hint
    far = check_value("ex", [0.86, 0.40], expected=exact, what="the pair", success="ok")
    assert "rounded" not in far.hint


def test_an_answer_right_where_finite_but_overflowing_gets_the_overflow_hint():
    def naive_softmax(z):
        e = np.exp(np.asarray(z, dtype=float))
        return e / e.sum()

    def stable_softmax(z):
        e = np.exp(np.asarray(z, dtype=float) - np.max(z))
        return e / e.sum()

    cases = [([1.0, 2.0],), ([1000.0, 999.0],)]
    args = {"reference": stable_softmax, "cases": cases, "signature": "f(z)", "success": "ok"}
    diagnosis = overflows("subtract the max", reference=stable_softmax, cases=cases)
    fb = check_function("ex", naive_softmax, diagnoses=[diagnosis], **args)
    assert fb.hint == "subtract the max"
    # an answer wrong on a finite case is not an overflow, whatever else it does
    fb = check_function("ex", lambda z: naive_softmax(z) * 2, diagnoses=[diagnosis], **args)
    assert fb.hint != "subtract the max"


# -- extension points -------------------------------------------------------------------


def test_run_learner_code_copies_silences_and_tells_the_error():
    data = np.array([1.0, 0.0])

    def mutating(a):
        a[...] = 5
        return np.log(a - 5)  # log 0: a warning NumPy would print, silenced

    run = run_learner_code(mutating, data)
    assert run.ok and data.tolist() == [1.0, 0.0] and np.all(np.isneginf(run.result))
    run = run_learner_code(raises, data)
    assert not run.ok and run.result is None and run.error.startswith("RuntimeError: boom (line")


def test_diagnoses_come_after_mistakes_and_before_the_fallback():
    args = {"reference": reference, "cases": [([1.0], [3.0])], "signature": "f", "success": "ok"}
    wrong = lambda a, b: 5.0  # noqa: E731
    never, failing = (lambda answer: None), (lambda answer: 1 / 0)
    fb = check_function("ex", wrong, diagnoses=[never, failing], fallback="look again", **args)
    assert fb.hint == "look again"
    fb = check_function("ex", wrong, diagnoses=[never, lambda answer: "diagnosed"], **args)
    assert fb.hint == "diagnosed"
    mistake = [Mistake(lambda a, b: 5.0, "the mistake")]
    fb = check_function("ex", wrong, mistakes=mistake, diagnoses=[lambda a: "d"], **args)
    assert fb.hint == "the mistake"


def test_value_fallback_and_mistake_tolerance():
    fb = check_value("ex", 3.0, expected=7.0, what="x", success="ok", fallback="count again")
    assert fb.hint == "count again"
    near = [Mistake(7.0, "rounded by hand", rtol=0, atol=0.1)]
    assert check_value("ex", 7.05, expected=7.0, mistakes=near, what="x", success="ok").hint == (
        "rounded by hand"
    )
    assert check_value("ex", 7.0, expected=7.0, mistakes=near, what="x", success="ok").passed


def _all_checkers():
    """Every public check_* of every chapter module, discovered (a new one is tested too)."""
    import importlib
    import pkgutil

    found = []
    for info in sorted(pkgutil.iter_modules(course.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"lossbook.course.{info.name}")
        found += [
            pytest.param(getattr(module, name), id=f"{info.name}.{name}")
            for name in sorted(vars(module))
            if name.startswith("check_")
            and getattr(getattr(module, name), "__module__", None) == module.__name__
        ]
    return found


CHECKERS = _all_checkers()


def test_every_chapter_has_checkers():
    chapters = {p.id.split(".")[0] for p in CHECKERS}
    assert chapters == {f"ch{n:02d}" for n in range(1, 12)}


@pytest.mark.parametrize(
    "answer", nonsense.NONSENSE, ids=[f"nonsense{i}" for i in range(len(nonsense.NONSENSE))]
)
@pytest.mark.parametrize("checker", CHECKERS)
def test_every_checker_answers_nonsense_with_feedback(checker, answer):
    feedback = checker(answer)
    assert isinstance(feedback, Feedback)
    assert not feedback.passed and feedback.hint, str(feedback)
    assert "Traceback" not in str(feedback)
    assert feedback.exercise.startswith("Exercise ")


# -- typed answers and the website ------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "answer"),
    [
        ("", None),
        ("   ", None),
        ("0.5", 0.5),
        (" -2 ", -2.0),
        ("\u22123", -3.0),
        ("[1, 2.5]", [1.0, 2.5]),
        ("1,2 3;4", [1.0, 2.0, 3.0, 4.0]),
        ("(7)", [7.0]),
        ("1e999", float("inf")),
        ("B", "B"),
        (" tie ", "tie"),
        ("45 minutes", "45 minutes"),
        ("1, two", "1, two"),
    ],
)
def test_parse_typed_answer(typed, answer):
    assert parse_typed_answer(typed) == answer


def test_parse_typed_nan_is_a_number():
    assert np.isnan(parse_typed_answer("nan"))


@pytest.mark.parametrize(
    ("typed", "half_step", "digits"),
    [
        ("2.1203", 5e-5, 5),
        ("0.0012", 5e-5, 2),
        ("1.20e-3", 5e-6, 3),  # scientific: the typed significant digits
        ("-4.5E+2", 5.0, 2),
        ("100", 0.5, 3),
        ("5.", 0.5, 1),
        (".25", 0.005, 2),
        ("0.000", 5e-4, 0),
        ("inf", 0.0, 0),
    ],
)
def test_a_typed_number_knows_how_finely_it_was_typed(typed, half_step, digits):
    number = parse_typed_answer(typed)
    assert isinstance(number, TypedNumber) and number == float(typed)
    assert number.half_step == half_step and number.digits == digits


# -- typed answers count with the digits typed ----------------------------------------------

DIGIT_LOSS = -np.log(0.12)  # 2.1202635..., printed 2.1203
TYPED = {
    "expected": DIGIT_LOSS,
    "mistakes": [Mistake(-np.log(0.005), "the wrong class"), Mistake(0.12, "no log")],
    "what": "the loss",
    "success": "ok",
}
WHAT = {"what": "the pair", "success": "ok"}


@pytest.mark.parametrize("typed", ["2.1203", "2.120264", "2.12026", "2.120e0", " 2.1202635362 "])
def test_the_right_answer_typed_as_printed_is_right(typed):
    assert check_value("ex", parse_typed_answer(typed), **TYPED).passed


def test_a_mistake_typed_as_printed_gets_its_hint():
    assert check_value("ex", parse_typed_answer("5.2983"), **TYPED).hint == "the wrong class"
    # a short number that is a mistake exactly gets that mistake's hint, not "more digits"
    assert check_value("ex", parse_typed_answer("0.12"), **TYPED).hint == "no log"


@pytest.mark.parametrize("typed", ["2.12", "2.1", "2", "5.30"])
def test_too_few_digits_ask_for_more(typed):
    fb = check_value("ex", parse_typed_answer(typed), **TYPED)
    assert not fb.passed and fb.hint == TYPED_DIGITS_HINT


def test_exact_short_numbers_are_right():
    assert check_value("ex", parse_typed_answer("0.25"), expected=0.25, **WHAT).passed
    assert check_value("ex", parse_typed_answer("9"), expected=9.0, **WHAT).passed
    pair = parse_typed_answer("8.5, 1.36")
    assert check_value("ex", pair, expected=[8.5, 1.36], **WHAT).passed


def test_a_typed_list_is_right_when_every_number_rounds_alike():
    exact = [0.863842, 0.399631]
    assert check_value("ex", parse_typed_answer("[0.8638, 0.3996]"), expected=exact, **WHAT).passed
    short = check_value("ex", parse_typed_answer("0.8638, 0.40"), expected=exact, **WHAT)
    assert short.hint == TYPED_DIGITS_HINT
    wrong = check_value("ex", parse_typed_answer("0.8638, 0.3997"), expected=exact, **WHAT)
    assert not wrong.passed and wrong.hint == TYPED_ROUNDED_HINT


def test_typed_digits_cut_off_or_mistyped_are_told_to_round():
    for typed in ["2.1202", "2.1210"]:
        fb = check_value("ex", parse_typed_answer(typed), **TYPED)
        assert not fb.passed and fb.hint == TYPED_ROUNDED_HINT, typed


def test_a_float_from_code_keeps_the_tolerance_and_the_rounded_hint():
    for answer in [2.1203, np.float64(2.1203), [2.1203]]:
        fb = check_value("ex", answer, **TYPED)
        assert not fb.passed
    assert check_value("ex", 2.1203, **TYPED).hint == ROUNDED_HINT
    assert check_value("ex", 2.12, **TYPED).hint == ROUNDED_HINT
    assert check_value("ex", 5.2983, **TYPED).hint == DEFAULT_VALUE_HINT  # not the mistake
    # the same number in a list typed on the page is not a float from code
    assert check_value("ex", [TypedNumber("2.1203")], expected=[DIGIT_LOSS], **WHAT).passed


def test_a_wide_mistake_tolerance_still_applies_to_typed_answers():
    near = [Mistake(7.0, "rounded by hand", rtol=0, atol=0.1)]
    fb = check_value("ex", parse_typed_answer("7.05"), expected=7.0, mistakes=near, **WHAT)
    assert fb.hint == "rounded by hand"


def test_non_finite_typed_numbers_never_round_alike():
    for typed in ["1e999", "-inf", "nan", "1e99999999999"]:
        fb = check_value("ex", parse_typed_answer(typed), **TYPED)
        assert not fb.passed and fb.hint == NOT_FINITE_HINT, typed


VALUE_CHECKERS = [c for c in CHECKERS if isinstance(c.values[0](None).web, ValueExercise)]


@pytest.mark.parametrize("checker", VALUE_CHECKERS)
def test_every_value_exercise_is_right_as_printed(checker):
    """The right answer typed as a printout shows it, to 6 decimals, is right on the site;
    to 4 decimals it is right or asks for more digits, never 'rounded' or a mistake."""
    exercise = checker(None).web
    values = np.atleast_1d(np.asarray(exercise.expected, dtype=float)).tolist()
    shape = np.shape(exercise.expected)
    for spec in (".6f", ".6g", ".4f"):
        text = ", ".join(format(v, spec) for v in values)
        fb = checker(parse_typed_answer(f"[{text}]" if shape else text))
        assert fb.passed or (spec == ".4f" and fb.hint == TYPED_DIGITS_HINT), (spec, str(fb))


def test_value_feedback_carries_its_definition_and_a_hidden_form():
    fb = ch01.check_player_losses(None)
    page = fb._repr_html_()
    assert isinstance(fb.web, ValueExercise)
    assert '<form class="lossbook-answer" data-kind="value" hidden>' in page
    assert 'aria-live="polite"' in page and "<label>Your answer to Exercise 1.2 (a)" in page
    data = fb.web.definition()
    assert data["expected"] == [2.0, 7.0, 2.0, 4.0] and data["mistakes"]
    assert ch01.check_better_player(None).web.definition()["correct"] == "B"
    assert "lossbook-run-note" in ch01.check_mean_squared_error(None)._repr_html_()


def test_feedback_text_inherits_the_page_colour():
    page = Feedback("ex", False, "m", "h")._repr_html_()
    assert "color:inherit" in page and "#b35900" not in page


def test_quiz_api():
    question = quiz_question(
        "Quiz 1.1",
        "Which is a loss?",
        {"A": "the error on one example", "B": "the mean over the data set"},
        "A",
        {"B": "That is the cost: an average of losses."},
        success="A loss scores one example.",
    )
    quiz = Quiz("ch01", [question])
    assert quiz.check("Quiz 1.1", "a").passed
    assert quiz.check("Quiz 1.1", "B").hint.startswith("That is the cost")
    assert not quiz.check("Quiz 9.9", "A").passed
    page = quiz.field("Quiz 1.1")._repr_html_()
    assert "Which is a loss?" in page and 'type="radio"' in page and "lossbook-nojs" in page
    assert isinstance(question, ChoiceExercise)


# -- one numbering: the checker's "Exercise 4.2" is the site's ----------------------------

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "chapters").glob("[0-9][0-9]_*.ipynb"))


def _checker_calls_by_exercise(notebook: Path) -> dict[str, set[int]]:
    """For each ``chNN.check_*`` called in the notebook, the numbers of the exercises
    (sphinx-exercise counts its ``:::{exercise}`` directives in order) it is called under."""
    import json
    import re

    calls: dict[str, set[int]] = {}
    number = 0
    for cell in json.loads(notebook.read_text(encoding="utf-8"))["cells"]:
        source = "".join(cell["source"])
        if cell["cell_type"] == "markdown":
            assert ":nonumber:" not in source, "an unnumbered exercise shifts the numbering"
            number += len(re.findall(r"^:::+\{exercise\}", source, flags=re.M))
        else:
            for name in re.findall(r"\bch\d\d\.(check_\w+)\(", source):
                calls.setdefault(name, set()).add(number)
    return calls


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem[:2])
def test_checker_ids_follow_the_exercise_directives(notebook):
    import importlib

    chapter = int(notebook.name[:2])
    module = importlib.import_module(f"lossbook.course.ch{chapter:02d}")
    calls = _checker_calls_by_exercise(notebook)
    assert calls, f"{notebook.name} calls no checker"
    for name, numbers in calls.items():
        assert len(numbers) == 1, f"{name} is called under exercises {sorted(numbers)}"
        (number,) = numbers
        exercise = getattr(module, name)(None).exercise
        expected = f"Exercise {chapter}.{number}"
        assert exercise == expected or exercise.startswith(expected + " "), (name, exercise)


def _four_digits(value) -> list[str]:
    return [format(v, ".4g") for v in np.atleast_1d(np.asarray(value, dtype=float))]


@pytest.mark.parametrize("checker", VALUE_CHECKERS)
def test_the_right_answer_never_coincides_with_a_mistake(checker):
    """Every value exercise of every chapter tells the right answer from each typical mistake,
    both at the checker's tolerance and as a learner types it on the site (4 significant
    digits). Chapter 08's first edition graded the wrong digit's -log q as right because two
    probabilities were equal. (A mistake may be listed twice on purpose, the second time with
    a wider tolerance for rounded copies; the right value itself may be listed so, for a
    "looks rounded" hint.)"""
    exercise = checker(None).web
    right = np.asarray(exercise.expected, dtype=float)
    for mistake in exercise.mistakes:
        wrong = np.asarray(mistake.behaves_like, dtype=float)
        if wrong.shape != right.shape:
            continue
        if np.array_equal(wrong, right) and (mistake.atol > 1e-9 or mistake.rtol > 1e-6):
            continue  # "close, but rounded": the right value itself, matched only when not exact
        assert not np.allclose(wrong, right, rtol=1e-6, atol=1e-9), mistake.hint
        assert _four_digits(wrong) != _four_digits(right), (right, wrong, mistake.hint)
        assert not checker(mistake.behaves_like).passed, mistake.hint
