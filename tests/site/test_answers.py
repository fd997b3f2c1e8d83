"""The website's answer fields give the verdict and hint the Python checker gives.

Every value and choice exercise of the course exports its definition with its feedback
(``lossbook.checks``); ``_static/lossbook-answers.js`` checks typed answers with it.
Here the same typed answers (the right one in full and as printed to 4 and 6 decimals,
each typical mistake in full and to 4 decimals, copies with too few digits or cut off,
nonsense, empty, ``1e999``, ``nan``, text) go to the Python checker, through
``parse_typed_answer``, and to the form in Chromium, typed with the keyboard; the
feedback boxes must be the same HTML. A page of the real site is checked too when the
notebooks have been executed with these forms.
"""

from __future__ import annotations

import importlib
import json
import math
import pkgutil
from pathlib import Path

import pytest

from lossbook import course
from lossbook.checks import (
    TYPED_DIGITS_HINT,
    ChoiceExercise,
    Quiz,
    TypedNumber,
    ValueExercise,
    feedback_html,
    parse_typed_answer,
    quiz_question,
)
from tests.site.conftest import SITE, open_page

SCRIPT = Path(__file__).resolve().parents[2] / "_static" / "lossbook-answers.js"


def exported_exercises():
    """(checker name, the feedback's exercise) for every checker the website can mirror."""
    found = {}
    for info in sorted(pkgutil.iter_modules(course.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"lossbook.course.{info.name}")
        for name, checker in sorted(vars(module).items()):
            if name.startswith("check_") and getattr(checker, "__module__", "") == module.__name__:
                web = checker(None).web
                if isinstance(web, ValueExercise | ChoiceExercise):
                    found[f"{info.name}.{name}"] = web
    return found


EXERCISES = exported_exercises()


def typed_numbers(value) -> str:
    """A value as a learner would type it, in full precision (Python's repr)."""
    values = value if isinstance(value, list) else [value]
    return ", ".join(repr(float(v)) for v in values)


def printed(value, spec: str) -> str:
    """A value as a printout shows it (``spec`` is a format, ``".4f"``), to be typed."""
    values = value if isinstance(value, list) else [value]
    return ", ".join(format(float(v), spec) for v in values)


def cut_off(value, decimals: int = 4) -> str:
    """A value with its digits cut off rather than rounded, as a hurried learner types it."""
    values = value if isinstance(value, list) else [value]
    return ", ".join(
        f"{math.trunc(float(v) * 10**decimals) / 10**decimals:.{decimals}f}" for v in values
    )


def typed_answers(exercise: ValueExercise) -> list[str]:
    data = exercise.definition()
    expected = data["expected"]
    rounded = [float(f"{v:.3g}") for v in (expected if isinstance(expected, list) else [expected])]
    mistakes = [m["value"] for m in data["mistakes"] if "inf" not in str(m["value"])]
    return [
        typed_numbers(expected),
        f"[{typed_numbers(expected)}]",
        printed(expected, ".4f"),
        printed(expected, ".6f"),
        printed(expected, ".2g"),
        printed(expected, ".4e"),
        cut_off(expected),
        *(typed_numbers(m) for m in mistakes),
        *(printed(m, ".4f") for m in mistakes),
        ", ".join(map(str, rounded)),
        "",
        "   ",
        "1e999",
        "-1e999",
        "nan",
        "1e303",
        "0.1234565",
        "-0.0000001",
        "1, 2, 3, 4, 5, 6, 7",
        "7",
        "seven",
        "45 minutes",
        "1, two",
        "[1, 2",
        'it\'s "quoted" \\ text',
        "−3",
        "x" * 80,
    ]


def test_every_chapter_exports_an_answer_field():
    assert len({key.split(".")[0] for key in EXERCISES}) >= 8, sorted(EXERCISES)
    kinds = {type(e) for e in EXERCISES.values()}
    assert kinds == {ValueExercise, ChoiceExercise}


@pytest.fixture(scope="module")
def answer_page(browser):
    """One page with every exported exercise's field, as the site renders them."""
    forms = "".join(
        f'<section data-key="{key}">{exercise.check(None)._repr_html_()}</section>'
        for key, exercise in EXERCISES.items()
    )
    context = browser.new_context()
    page = context.new_page()
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.set_content(f"<!doctype html><html lang=en><body>{forms}</body></html>")
    page.add_script_tag(path=str(SCRIPT))
    yield page, errors
    context.close()


def as_page_html(page, python) -> str:
    """The Python checker's feedback box, as the browser serialises it."""
    markup = feedback_html(python.exercise, python.passed, python.message, python.hint)
    return page.evaluate(
        "m => { const t = document.createElement('div'); t.innerHTML = m; return t.innerHTML; }",
        markup,
    )


def reply_on_page(page, key, exercise, answer) -> str:
    section = page.locator(f'section[data-key="{key}"]')
    if isinstance(exercise, ChoiceExercise):
        if answer is not None:
            section.get_by_role("radio", name=answer, exact=True).check()
        section.get_by_role("button", name="Check").click()
    else:
        field = section.get_by_role("textbox")
        field.fill(answer)
        field.press("Enter")  # the keyboard submits the form
    region = section.locator('[aria-live="polite"]')
    return region.inner_html()


@pytest.mark.parametrize("key", sorted(EXERCISES))
def test_the_page_gives_the_python_checkers_reply(answer_page, key):
    page, errors = answer_page
    exercise = EXERCISES[key]
    section = page.locator(f'section[data-key="{key}"]')
    assert section.locator("form.lossbook-answer").is_visible()
    # the reply to the empty template gives way to the field
    assert not section.locator(".lossbook-check > .lossbook-feedback").is_visible()
    if isinstance(exercise, ChoiceExercise):
        # a fresh page per pick would be slower; the options are tried in order, then none
        answers = list(exercise.options)
        for option in answers:
            python = exercise.check(option)
            assert reply_on_page(page, key, exercise, option) == as_page_html(page, python), option
        return
    mismatches = []
    verdicts = set()
    for typed in typed_answers(exercise):
        python = exercise.check(parse_typed_answer(typed))
        verdicts.add(python.passed)
        expected = as_page_html(page, python)
        got = reply_on_page(page, key, exercise, typed)
        if got != expected:
            mismatches.append(f"{typed!r}:\n  python: {expected}\n  page:   {got}")
    assert not mismatches, "\n".join(mismatches)
    assert verdicts == {True, False}
    assert not errors
    # the right answer as a printout shows it is right on the site
    expected = exercise.definition()["expected"]
    assert exercise.check(parse_typed_answer(printed(expected, ".6f"))).passed
    as_printed = exercise.check(parse_typed_answer(printed(expected, ".4f")))
    assert as_printed.passed or as_printed.hint == TYPED_DIGITS_HINT, as_printed


def test_a_choice_with_nothing_picked(browser):
    exercise = next(e for e in EXERCISES.values() if isinstance(e, ChoiceExercise))
    context = browser.new_context()
    page = context.new_page()
    page.set_content(f"<!doctype html><body>{exercise.check(None)._repr_html_()}</body>")
    page.add_script_tag(path=str(SCRIPT))
    page.get_by_role("button", name="Check").click()
    python = exercise.check(parse_typed_answer(""))
    got = page.locator('[aria-live="polite"]').inner_html()
    expected = as_page_html(page, python)
    context.close()
    assert got == expected


def test_typed_answers_parse_alike(answer_page):
    """The same answer, and for numbers the same precision, half a unit in the last digit
    typed and the significant digits."""
    page, _ = answer_page
    typed_cases = [
        *["", " 0.5 ", "[1, 2.5]", "1,2 3;4", "(7)", "1e999", "nan", "B", "1, two", "−3"],
        *["2.1203", "0.0012", "1.20e-3", "-4.5E+2", "100", "5.", ".25", "0.000", "-inf"],
        *["1e-99999", "12345678901234567890e-400", "1e99999999999999999999999"],
    ]
    for typed in typed_cases:
        python = parse_typed_answer(typed)
        page_value = page.evaluate(
            """t => {
              const r = window.lossbookAnswers.parseTyped(t);
              const out = r && r.numbers
                ? {value: r.value, precision: r.numbers.map(n => [n.halfStep, n.digits])}
                : r;
              return JSON.stringify(out,
                (k, x) => typeof x === 'number' && !isFinite(x) ? String(x) : x);
            }""",
            typed,
        )
        if isinstance(python, TypedNumber | list):
            numbers = python if isinstance(python, list) else [python]
            python = {"value": python, "precision": [[n.half_step, n.digits] for n in numbers]}
        assert json.loads(page_value) == as_json(python), typed


def as_json(value):
    """A value as the page's JSON shows it: inf and nan as JavaScript's String() gives them."""
    if isinstance(value, dict):
        return {k: as_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_json(v) for v in value]
    if isinstance(value, float) and not math.isfinite(value):
        return "NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity")
    return float(value) if isinstance(value, float) else value


# -- one page of the real site ------------------------------------------------------------

CHAPTER_01 = "chapters/01_what_is_a_loss.html"


@pytest.mark.skipif(
    not (SITE / CHAPTER_01).exists()
    or 'class="lossbook-answer"' not in (SITE / CHAPTER_01).read_text(encoding="utf-8"),
    reason="the built site has no answer fields yet (execute the notebooks, build the site)",
)
def test_a_built_chapter_answers(browser, server):
    context, page, problems = open_page(browser, server, CHAPTER_01)
    forms = page.locator("form.lossbook-answer:visible")
    assert forms.count() >= 2
    field = forms.first.get_by_role("textbox")
    field.fill("2, 7, 2, 4")
    field.press("Enter")
    reply = forms.first.locator('[aria-live="polite"]').inner_text()
    python = EXERCISES["ch01.check_player_losses"].check([2.0, 7.0, 2.0, 4.0])
    assert "Correct" in reply and python.message in reply
    # a typical mistake typed as printed (sqrt 7 to 4 decimals) gets its hint, too few
    # digits ask for more, as in Python
    for typed in ("2, 2.6458, 2, 2", "2, 2.6, 2, 2"):
        field.fill(typed)
        field.press("Enter")
        reply = forms.first.locator('[aria-live="polite"]').inner_text()
        python = EXERCISES["ch01.check_player_losses"].check(parse_typed_answer(typed))
        assert not python.passed and python.hint in reply, (typed, reply)
    assert page.locator(".lossbook-run-note:visible").count() >= 1
    # the solution's copy of the field stays hidden
    assert page.locator(".solution form.lossbook-answer:visible").count() == 0
    context.close()
    assert not problems, problems


def test_a_quiz_field_answers_like_the_quiz(browser):
    question = quiz_question(
        "Quiz 1.2",
        "Can a mean squared error be negative?",
        {"A": "Yes, when the predictions are too low", "B": "No"},
        "B",
        {"A": "Each term is a square, never negative; their mean cannot be."},
        success="No: a mean of squares is at least 0.",
    )
    quiz = Quiz("ch01", [question])
    context = browser.new_context()
    page = context.new_page()
    page.set_content(f"<!doctype html><body>{quiz.field('Quiz 1.2')._repr_html_()}</body>")
    page.add_script_tag(path=str(SCRIPT))
    assert not page.locator(".lossbook-nojs").is_visible()
    group = page.get_by_role("group", name="Can a mean squared error be negative?")
    for key in ("A", "B"):
        group.get_by_role("radio", name=key, exact=False).first.check()
        page.keyboard.press("Enter")  # Enter in a form's radio submits it
        got = page.locator('[aria-live="polite"]').inner_html()
        assert got == as_page_html(page, quiz.check("Quiz 1.2", key)), key
    context.close()
