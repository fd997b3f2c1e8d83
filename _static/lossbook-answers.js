/* Answer fields on the website: the exercises check typed answers without a kernel.
 *
 * Each value or choice checker's output carries a hidden <form class="lossbook-answer">
 * and the exercise's definition as JSON, exported by lossbook.checks when the notebook
 * ran. This script reveals the forms and checks answers with the same rules as the
 * Python checker, so a typed answer gets the same verdict and hint as in Jupyter:
 *   parseTyped   mirrors lossbook.checks.parse_typed_answer (numbers keep their precision)
 *   checkValue   mirrors ValueExercise.check
 *   checkChoice  mirrors ChoiceExercise.check
 * tests/site/test_answers.py feeds the same answers to both and compares the replies.
 * In JupyterLab this script does not run: the form stays hidden.
 */
(function () {
  "use strict";

  // -- typed text -> answer (null, a number, an array of numbers, or the text) --------
  const NUMBER = /^(?:[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?|[+-]?(?:inf|infinity|nan))$/i;

  function toFloat(token) {
    const t = token.toLowerCase();
    const sign = t.startsWith("-") ? -1 : 1;
    const bare = t.replace(/^[+-]/, "");
    if (bare === "inf" || bare === "infinity") return sign * Infinity;
    if (bare === "nan") return NaN;
    return Number(t);
  }

  // A typed number keeps how finely it was typed, as lossbook.checks.TypedNumber: half a
  // unit in its last typed digit (built from text, the same double as in Python; clamped
  // where it underflows or overflows anyway) and its significant digits (0 for inf, nan).
  const DIGITS = /^[+-]?([0-9]*)\.?([0-9]*)(?:[eE]([+-]?[0-9]+))?$/;

  function typedNumber(token) {
    const parts = DIGITS.exec(token);
    if (!parts) return { value: toFloat(token), halfStep: 0, digits: 0 };
    const [, whole, fraction, exponent] = parts;
    const step = Math.max(-400, Math.min(400, parseInt(exponent || "0", 10) - fraction.length - 1));
    const digits = (whole + fraction).replace(/^0+/, "").length;
    return { value: toFloat(token), halfStep: Number("5e" + step), digits };
  }

  // What parseTyped gives for numbers: the answer as the checker reads it (value: a number
  // or an array) and each number with its precision (numbers).
  class Typed {
    constructor(numbers, single) {
      this.numbers = numbers;
      this.value = single ? numbers[0].value : numbers.map((n) => n.value);
    }
  }

  function parseTyped(typed) {
    const text = typed.trim().replace(/\u2212/g, "-"); // a typographic minus, pasted
    if (!text) return null;
    let inner = text;
    const ends = inner[0] + inner[inner.length - 1];
    const bracketed = inner.length >= 2 && (ends === "[]" || ends === "()");
    if (bracketed) inner = inner.slice(1, -1);
    const tokens = inner.split(/[\s,;]+/).filter((t) => t);
    if (tokens.length && tokens.every((t) => NUMBER.test(t))) {
      return new Typed(tokens.map(typedNumber), tokens.length === 1 && !bracketed);
    }
    return text;
  }

  // -- Python's reprs, which the checker's messages show ------------------------------
  function floatRepr(x) {
    if (Number.isNaN(x)) return "nan";
    if (x === Infinity) return "inf";
    if (x === -Infinity) return "-inf";
    if (x === 0) return Object.is(x, -0) ? "-0.0" : "0.0";
    const sign = x < 0 ? "-" : "";
    const [mantissa, exponent] = Math.abs(x).toExponential().split("e"); // shortest digits
    const digits = mantissa.replace(".", "");
    const n = parseInt(exponent, 10);
    if (n < -4 || n >= 16) {
      const m = digits.length > 1 ? digits[0] + "." + digits.slice(1) : digits;
      return sign + m + "e" + (n < 0 ? "-" : "+") + String(Math.abs(n)).padStart(2, "0");
    }
    if (n >= 0) {
      const whole = digits.slice(0, n + 1).padEnd(n + 1, "0");
      return sign + whole + "." + (digits.slice(n + 1) || "0");
    }
    return sign + "0." + "0".repeat(-n - 1) + digits;
  }

  function strRepr(s) {
    const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
    let out = quote;
    for (const ch of s) {
      const code = ch.codePointAt(0);
      if (ch === "\\" || ch === quote) out += "\\" + ch;
      else if (ch === "\n") out += "\\n";
      else if (ch === "\r") out += "\\r";
      else if (ch === "\t") out += "\\t";
      else if (code < 0x20 || (code >= 0x7f && code < 0xa1) || code === 0xad)
        out += "\\x" + code.toString(16).padStart(2, "0");
      else out += ch;
    }
    return out + quote;
  }

  function repr(answer) {
    if (answer === null) return "None";
    if (typeof answer === "string") return strRepr(answer);
    if (Array.isArray(answer)) return "[" + answer.map(floatRepr).join(", ") + "]";
    return floatRepr(answer);
  }

  function describe(text) {
    const chars = Array.from(text);
    return chars.length <= 60 ? text : chars.slice(0, 57).join("") + "...";
  }

  // -- NumPy's arithmetic, as the checker uses it --------------------------------------
  function rint(y) {
    // round half to even, keeping the sign of zero
    if (!Number.isFinite(y)) return y;
    const f = Math.floor(y);
    const d = y - f;
    let r = d < 0.5 ? f : d > 0.5 ? f + 1 : f % 2 === 0 ? f : f + 1;
    if (r === 0 && (y < 0 || Object.is(y, -0))) r = -0;
    return r;
  }

  const round6 = (x) => rint(x * 1e6) / 1e6; // np.round(x, 6)

  function tidy(answer) {
    return Array.isArray(answer) ? answer.map(round6) : round6(answer);
  }

  function decode(value) {
    const one = (x) => (x === "inf" ? Infinity : x === "-inf" ? -Infinity : x === "nan" ? NaN : x);
    return Array.isArray(value) ? value.map(one) : one(value);
  }

  const shapeOf = (value) => (Array.isArray(value) ? [value.length] : []);
  const asList = (value) => (Array.isArray(value) ? value : [value]);

  function same(answer, expected, rtol, atol) {
    // np.allclose after an equal-shape test, as lossbook.checks._same
    const a = shapeOf(answer);
    const b = shapeOf(expected);
    if (a.length !== b.length || (a.length && a[0] !== b[0])) return false;
    const xs = asList(answer);
    const ys = asList(expected);
    return xs.every((x, i) => {
      const y = ys[i];
      if (Number.isFinite(x) && Number.isFinite(y)) return Math.abs(x - y) <= atol + rtol * Math.abs(y);
      return x === y;
    });
  }

  // The typed answers' rule (lossbook.checks._typed_verdict and TYPED_* hints, same text).
  const TYPED_DIGITS = 4;
  const TYPED_DIGITS_HINT =
    `Type at least ${TYPED_DIGITS} significant digits (0.1235 rather than 0.12): with ` +
    "fewer, the check cannot tell the right answer from a typical mistake rounded.";
  const TYPED_ROUNDED_HINT =
    "Close, but not the same number rounded: check the last digits you typed, and round " +
    "rather than cut off (0.123456 to four decimals is 0.1235).";

  function typedVerdict(typed, candidate, rtol, atol) {
    // "same": each number the same within rtol/atol, or the candidate rounded to the digits
    // typed with at least TYPED_DIGITS of them; "short": so but too few digits; else null
    const answer = typed.value;
    const a = shapeOf(answer);
    const b = shapeOf(candidate);
    if (a.length !== b.length || (a.length && a[0] !== b[0])) return null;
    const values = asList(candidate);
    let verdict = "same";
    for (let i = 0; i < typed.numbers.length; i++) {
      const number = typed.numbers[i];
      const value = values[i];
      if (same(number.value, value, rtol, atol)) continue;
      const step = number.halfStep;
      const roundedAlike =
        Number.isFinite(number.value) &&
        Number.isFinite(value) &&
        Math.abs(number.value - value) <= step + 1e-9 * (step + Math.abs(value));
      if (!roundedAlike) return null;
      if (number.digits < TYPED_DIGITS) verdict = "short";
    }
    return verdict;
  }

  function shapeHint(expected, got) {
    if (expected.length === 1 && got.length <= 1) {
      const count = got.length ? got[0] : 1;
      return `Give ${expected[0]} numbers in a list, in the order asked; you gave ${count}.`;
    }
    if (!expected.length) return `Give one number; you gave an array of shape (${got[0]},).`;
    return `Expected an array of shape (${expected.join(", ")},), got (${got.join(", ")},).`;
  }

  function reply(passed, message, hint) {
    return { passed, message, hint: hint || "" };
  }

  function checkValue(d, answer) {
    const what = d.what;
    const typed = answer instanceof Typed ? answer : null; // typed on the page: digits count
    if (typed) answer = typed.value;
    if (answer === null)
      return reply(false, "there is no answer yet.", `Give ${what} (in the notebook, in place of None).`);
    if (typeof answer === "string")
      return reply(
        false,
        `expected numbers, got str ${describe(repr(answer))}.`,
        `Give ${what}, computed with Python or NumPy (numbers, not text).`,
      );
    const expected = decode(d.expected);
    if (same(answer, expected, d.rtol, d.atol)) return reply(true, d.success);
    if (typed && typedVerdict(typed, expected, d.rtol, d.atol) === "same") return reply(true, d.success);
    let hint = null;
    for (const m of d.mistakes) {
      const value = decode(m.value);
      const typedAlike = typed && typedVerdict(typed, value, m.rtol, m.atol) === "same";
      if (same(answer, value, m.rtol, m.atol) || typedAlike) {
        hint = m.hint;
        break;
      }
    }
    if (hint === null && typed) {
      const candidates = [[expected, d.rtol, d.atol]];
      for (const m of d.mistakes) candidates.push([decode(m.value), m.rtol, m.atol]);
      if (candidates.some(([value, rtol, atol]) => typedVerdict(typed, value, rtol, atol) === "short"))
        hint = TYPED_DIGITS_HINT;
    }
    if (hint === null && same(answer, expected, d.rounded.rtol, d.rounded.atol))
      hint = typed ? TYPED_ROUNDED_HINT : d.rounded.hint;
    const got = shapeOf(answer);
    if (hint === null && (got.length !== d.shape.length || (got.length && got[0] !== d.shape[0])))
      hint = shapeHint(d.shape, got);
    if (hint === null && !asList(answer).every(Number.isFinite)) hint = d.notFiniteHint;
    return reply(false, `${describe(repr(tidy(answer)))} is not ${what}.`, hint || d.fallback);
  }

  function pyStr(answer) {
    return typeof answer === "string" ? answer : repr(answer);
  }

  function checkChoice(d, answer) {
    if (answer instanceof Typed) answer = answer.value;
    const key = answer === null ? "" : pyStr(answer).trim().replace(/^['"]+|['"]+$/g, "").toUpperCase();
    if (key === d.correct.toUpperCase()) return reply(true, d.success);
    const match = d.options.find(([k]) => k.toUpperCase() === key);
    if (!match) {
      const listed = d.options.map(([k]) => strRepr(k)).join(", ");
      return reply(false, `${describe(repr(answer))} is not one of the options.`, `Answer with one of ${listed}.`);
    }
    return reply(false, `${key} is not the best answer.`, match[1]);
  }

  // -- the feedback box: the same markup as lossbook.checks.feedback_html -------------
  function escape(text) {
    return text
      .replace(/&/g, "&amp;")
      .replace(/</g, "&lt;")
      .replace(/>/g, "&gt;")
      .replace(/"/g, "&quot;")
      .replace(/'/g, "&#x27;");
  }

  function feedbackHtml(exercise, result) {
    const border = result.passed ? "#2e8540" : "#c25400";
    const mark = result.passed ? "✔ Correct" : "✘ Not yet";
    const hint = result.hint ? `<br><b>Hint:</b> ${escape(result.hint)}` : "";
    return (
      `<div class="lossbook-feedback" style="border-left:4px solid ${border};` +
      `padding:.3em .8em;margin:.3em 0;color:inherit">` +
      `<b>${mark}</b> <small>[${escape(exercise)}]</small><br>` +
      `${escape(result.message)}${hint}</div>`
    );
  }

  function answerOf(form, data) {
    if (data.kind === "choice") {
      const picked = form.querySelector('input[type="radio"]:checked');
      return picked ? picked.value : null;
    }
    return parseTyped(form.querySelector('input[name="answer"]').value);
  }

  function check(data, answer) {
    return data.kind === "choice" ? checkChoice(data, answer) : checkValue(data, answer);
  }

  // -- the page's own layer: names and layout of the fields (lossbook-answers.css) -----
  // The checker's HTML is fixed (nbval compares it with the executed notebooks), so what
  // only the website needs is added here, once, when the page loads.

  function hideStaleReply(form) {
    // The reply the notebook gave to the empty template makes no sense beside a field
    // (or beside a note that the exercise runs elsewhere): the page has not been answered.
    const box = form.closest(".lossbook-check");
    const stale = box && box.querySelector(":scope > .lossbook-feedback");
    if (stale) stale.hidden = true;
  }

  function nameTheQuestion(form, data) {
    // A quiz field's legend is the question alone; Jupyter shows "Quiz 5.1." before it
    // and the checker replies [Quiz 5.1], so the site names it the same way, and the
    // group's accessible name starts with it.
    const legend = form.querySelector("legend");
    if (!legend || !form.closest(".lossbook-quiz")) return;
    if (legend.textContent.trim().startsWith(data.exercise)) return;
    const id = document.createElement("b");
    id.className = "lossbook-answer-id";
    id.textContent = data.exercise + ".";
    legend.prepend(id, " ");
  }

  function layOut(form, data) {
    // The field's prompt on its own line, the text box and Check on the next one.
    const field = form.querySelector("input[name='answer'][type='text']");
    const label = field && field.closest("label");
    const words = label && label.firstChild;
    if (words && words.nodeType === Node.TEXT_NODE) {
      const prompt = document.createElement("span");
      prompt.className = "lossbook-answer-prompt";
      prompt.textContent = words.textContent.trim();
      words.replaceWith(prompt, " ");
    }
    // A page has a Check button per question: each says which one it checks
    // (the visible word "Check" first, as WCAG's label-in-name asks).
    const button = form.querySelector("button[type='submit']");
    if (button) button.setAttribute("aria-label", `Check ${data.exercise}`);
  }

  function runLinks() {
    // The launch and download links of the page's header, repeated where a coding
    // exercise says where to run it (undefined when the page has no launch buttons).
    const links = [];
    for (const a of document.querySelectorAll(".dropdown-launch-buttons a[href]")) {
      const name = (a.textContent || "").trim();
      const text = /binder/i.test(name) ? "JupyterLab on Binder" : name;
      if (text) links.push([a.href, text, false]);
    }
    const source = document.querySelector("a.btn-download-source-button[href$='.ipynb']");
    if (source) links.push([source.href, "the notebook (.ipynb)", true]);
    if (!links.length) return null;
    const span = document.createElement("span");
    span.className = "lossbook-run-links";
    span.append("Open it: ");
    links.forEach(([href, text, download], i) => {
      if (i) span.append(" · ");
      const a = document.createElement("a");
      a.href = href;
      a.textContent = text;
      if (download) a.setAttribute("download", "");
      else {
        a.target = "_blank";
        a.rel = "noopener";
      }
      span.append(a);
    });
    return span;
  }

  function wire(root) {
    for (const form of root.querySelectorAll("form.lossbook-answer")) {
      // A solution shows the right answer's reply; the field belongs to the exercise.
      if (form.closest(".solution") || form.dataset.wired) continue;
      const data = JSON.parse(form.querySelector("script.lossbook-answer-data").textContent);
      hideStaleReply(form);
      nameTheQuestion(form, data);
      layOut(form, data);
      const region = form.querySelector(".lossbook-answer-feedback");
      form.addEventListener("submit", (event) => {
        event.preventDefault();
        region.innerHTML = feedbackHtml(data.exercise, check(data, answerOf(form, data)));
      });
      form.dataset.wired = "yes";
      form.hidden = false;
    }
    for (const note of root.querySelectorAll(".lossbook-run-note")) {
      if (note.closest(".solution") || note.dataset.wired) continue;
      hideStaleReply(note);
      const links = runLinks();
      if (links) note.append(" ", links);
      note.dataset.wired = "yes";
      note.hidden = false;
    }
    for (const text of root.querySelectorAll(".lossbook-nojs")) text.hidden = true;
  }

  window.lossbookAnswers = { parseTyped, checkValue, checkChoice, feedbackHtml, wire };
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", () => wire(document));
  } else {
    wire(document);
  }
})();
