"""Chapter 02, How a loss drives learning: the data, the loss surface, the explorer, the exercises.

The training loop itself lives in :mod:`lossbook.training` (``fit_line``,
``gradient_descent``, ``line_loss_and_grad``); this module only feeds it and draws it.
"""

from __future__ import annotations

import numpy as np

import lossbook as lb
from lossbook.checks import Mistake, Quiz, check_choice, check_function, check_value, quiz_question
from lossbook.training import History, fit_line

#: The line the noisy points scatter around, and how much they scatter.
TRUE_W, TRUE_B, NOISE = 2.0, 1.0, 0.5

#: Where every run of the chapter starts: a line that predicts 0 everywhere.
INITIAL_PARAMS = (0.0, 0.0)


def noisy_points(n: int = 20, *, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """``n`` seeded points near the line ``y = 2 x + 1``, with ``x`` in [0, 2], sorted by ``x``."""
    rng = np.random.default_rng(seed)
    x = np.sort(rng.uniform(0.0, 2.0, n))
    y = TRUE_W * x + TRUE_B + NOISE * rng.standard_normal(n)
    return x, y


def predict(x, w, b) -> np.ndarray:
    """The forward pass of the model: the line ``y_hat = w * x + b``."""
    return w * np.asarray(x, dtype=float) + b


def mse_gradient(x, y, w, b) -> np.ndarray:
    r"""The gradient of the MSE of the line, derived by hand: ``[dL/dw, dL/db]``.

    .. math::

        \frac{\partial L}{\partial w} = \frac{2}{n}\sum_i (\hat y_i - y_i)\, x_i, \qquad
        \frac{\partial L}{\partial b} = \frac{2}{n}\sum_i (\hat y_i - y_i)
    """
    x = np.asarray(x, dtype=float)
    error = predict(x, w, b) - np.asarray(y, dtype=float)
    return np.array([2.0 * np.mean(error * x), 2.0 * np.mean(error)])


def central_difference(f, params, h: float = 1e-5) -> np.ndarray:
    """The gradient of ``f`` at ``params`` by central finite differences, one parameter at a time.

    ``(f(p + h e_k) - f(p - h e_k)) / (2 h)``: its error shrinks like ``h**2``.
    """
    params = np.asarray(params, dtype=float)
    steps = h * np.eye(params.size)
    return np.array([(f(params + e) - f(params - e)) / (2.0 * h) for e in steps])


def mse_surface(x, y, w_grid, b_grid) -> np.ndarray:
    """The MSE of the line at every ``(w, b)`` of two same-shaped grids (vectorised)."""
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    error = np.asarray(w_grid)[..., None] * x + np.asarray(b_grid)[..., None] - y
    return np.mean(error**2, axis=-1)


def least_squares(x, y) -> np.ndarray:
    """The exact minimiser ``[w, b]`` of the MSE of a line (the normal equations)."""
    design = np.column_stack([x, np.ones_like(x)])
    return np.linalg.lstsq(design, y, rcond=None)[0]


def hessian(x) -> np.ndarray:
    """The (constant) matrix of second derivatives of the MSE of a line in ``(w, b)``."""
    x = np.asarray(x, dtype=float)
    return 2.0 * np.array([[np.mean(x * x), np.mean(x)], [np.mean(x), 1.0]])


def critical_learning_rate(x) -> float:
    """Above ``2 / (largest curvature)`` each step overshoots further: gradient descent diverges."""
    return float(2.0 / np.linalg.eigvalsh(hessian(x)).max())


def condition_number(x) -> float:
    """Largest over smallest curvature of the MSE valley of a line fitted to inputs ``x``."""
    curvatures = np.linalg.eigvalsh(hessian(x))
    return float(curvatures[-1] / curvatures[0])


def minibatch_sgd(x, y, *, batch_size: int, learning_rate: float, epochs: int, seed: int = 0):
    """Mini-batch stochastic gradient descent on the MSE of a line.

    Each epoch shuffles the points and steps once per batch of ``batch_size`` of them,
    with the gradient of the MSE *of that batch*. Returns a :class:`History` whose
    losses are the MSE on the WHOLE data set after every step (row 0: the start), so
    it can be compared with full-batch gradient descent step for step.
    """
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    rng = np.random.default_rng(seed)
    params = np.array(INITIAL_PARAMS, dtype=float)
    history = [params.copy()]
    for _ in range(epochs):
        order = rng.permutation(x.size)
        for start in range(0, x.size, batch_size):
            batch = order[start : start + batch_size]
            params = params - learning_rate * mse_gradient(x[batch], y[batch], *params)
            history.append(params.copy())
    history = np.array(history)
    losses = mse_surface(x, y, history[:, 0], history[:, 1])
    return History(history, losses)


def steps_to_diverge(history: History) -> int | None:
    """After how many steps a run was stopped for diverging (``None`` if it was not)."""
    return len(history.losses) - 1 if history.diverged else None


# -- the explorer --------------------------------------------------------------------

#: The learning rates of the chapter's table.
LEARNING_RATES = (0.01, 0.03, 0.1, 0.2, 0.3, 0.4, 0.5)
#: The explorer's settings: every pair is a frame of the web player, so the grid is kept
#: small (the notebook's size budget); 0.2 behaves like 0.1 and 0.3 and is left out.
EXPLORER_RATES = (0.01, 0.03, 0.1, 0.3, 0.4, 0.5)
STEP_COUNTS = (1, 3, 10, 30, 100)
W_RANGE = (-1.0, 4.0)
B_RANGE = (-1.5, 3.5)
LOSS_RANGE = (0.02, 1e4)


def descent_explorer():
    """Learning rate and number of steps: loss curve, fitted line, path over the loss surface.

    Each learning rate's run is computed once, for the most steps, and sliced per
    step count (``fit_line`` is deterministic, so a run's first ``s`` steps are
    the run of ``s`` steps).
    """
    from lossbook.explore import Explorer, Slider
    from lossbook.plotting import COLORS, new_figure

    x, y = noisy_points()
    max_steps = max(STEP_COUNTS)
    best = least_squares(x, y)
    best_loss = float(lb.mse(y, predict(x, *best)))
    runs: dict[float, History] = {}

    def run(learning_rate):
        key = round(float(learning_rate), 6)
        if key not in runs:
            runs[key] = fit_line(
                x, y, learning_rate=key, steps=max_steps, initial_params=INITIAL_PARAMS
            )
        return runs[key]

    for learning_rate in EXPLORER_RATES:
        run(learning_rate)

    figure, (data_ax, loss_ax, surface_ax) = new_figure(ncols=3, figsize=(7.6, 3.0))

    data_ax.scatter(x, y, s=12, color=COLORS["data"], zorder=3)
    line_x = np.array([-0.1, 2.1])
    (fit,) = data_ax.plot(line_x, predict(line_x, *INITIAL_PARAMS), color=COLORS["fit"], lw=2)
    data_ax.set(xlim=(-0.1, 2.1), ylim=(-1.0, 7.0), xlabel="x", ylabel="y", title="the fitted line")

    loss_ax.axhline(best_loss, color=COLORS["muted"], ls="--", lw=1)
    loss_ax.text(max_steps, best_loss / 1.3, "lowest MSE", ha="right", va="top", fontsize=8)
    (curve,) = loss_ax.plot([], [], color=COLORS["fit"], lw=1.5, marker=".", ms=3)
    verdict = loss_ax.text(
        0.96,
        0.6,
        "",
        transform=loss_ax.transAxes,
        ha="right",
        va="center",
        color="#b30000",
        bbox={"facecolor": "white", "edgecolor": "#b30000", "boxstyle": "round"},
    )
    loss_ax.set(
        yscale="log",
        xlim=(-2, max_steps + 2),
        ylim=LOSS_RANGE,
        xlabel="step",
        title="MSE (log scale)",
    )

    w_grid, b_grid = np.meshgrid(np.linspace(*W_RANGE, 121), np.linspace(*B_RANGE, 121))
    surface = mse_surface(x, y, w_grid, b_grid)
    levels = best_loss + np.geomspace(0.02, surface.max() - best_loss, 12)
    surface_ax.contour(
        w_grid, b_grid, surface, levels=levels, colors=COLORS["muted"], linewidths=0.7
    )
    # The star (the lowest point) is animated too, after the path: blitting draws the
    # animated artists in list order, and a path drawn over it would hide it.
    (star,) = surface_ax.plot(*best, marker="*", ms=11, color=COLORS["target"], zorder=4)
    surface_ax.plot(*INITIAL_PARAMS, marker="o", ms=5, color=COLORS["muted"])
    (path,) = surface_ax.plot([], [], color=COLORS["fit"], lw=1, marker=".", ms=4)
    (here,) = surface_ax.plot([], [], marker="o", ms=6, color=COLORS["fit"], zorder=5)
    surface_ax.set(xlim=W_RANGE, ylim=B_RANGE, xlabel="w", ylabel="b", title="path over the MSE")
    surface_ax.grid(False)

    def update(learning_rate, steps):
        steps = round(float(steps))
        history = run(learning_rate)
        params = history.params[: steps + 1]
        losses = history.losses[: steps + 1]
        w, b = params[-1]
        fit.set_ydata(predict(line_x, w, b))
        curve.set_data(np.arange(len(losses)), losses)
        path.set_data(params[:, 0], params[:, 1])
        here.set_data([w], [b])
        stopped = steps_to_diverge(history)
        head = f"learning rate {learning_rate:g}, {steps} step{'' if steps == 1 else 's'}: "
        if stopped is not None and stopped <= steps:
            verdict.set_text(f"diverged after\n{stopped} steps")
            return head + f"diverged after {stopped} steps (the MSE passed 1e12)"
        loss = float(losses[-1])
        if len(losses) > 1 and losses[-1] > losses[0]:
            verdict.set_text("diverging:\nthe MSE grows")
            return head + f"w = {w:.4f}, b = {b:.4f}, MSE {loss:.4f} and growing: diverging"
        verdict.set_text("")
        return head + f"w = {w:.4f}, b = {b:.4f}, MSE {loss:.4f} (lowest {best_loss:.4f})"

    return Explorer(
        figure,
        update,
        [
            Slider(
                "learning_rate",
                "learning rate",
                EXPLORER_RATES,
                value=0.1,
                valuetext="learning rate {value}",
            ),
            Slider(
                "steps",
                "number of steps",
                STEP_COUNTS,
                value=30,
                fmt="{:.0f}",
                valuetext="{value} steps",
            ),
        ],
        title="Gradient descent on the MSE: move the learning rate and the number of steps",
        description=(
            "Three panels. Left: the 20 data points and the line after the chosen number of "
            "steps. Middle: the MSE at every step on a log scale, with a dashed line at the "
            "lowest possible MSE, 0.1209. Right: the path of the parameters (w, b) from the "
            "start at (0, 0) over the contour lines of the MSE, a long narrow valley, towards "
            "its lowest point (a star); large learning rates zigzag across the valley."
        ),
        animated=[fit, curve, verdict, path, star, here],
    )


# -- exercises ------------------------------------------------------------------------

GRADIENT_CASES = [
    ([0.0, 1.0, 2.0, 3.0], [1.0, 3.0, 5.0, 7.0], 0.0, 0.0),
    ([0.0, 1.0, 2.0, 3.0], [1.0, 3.0, 5.0, 7.0], 1.0, 0.0),
    ([-1.0, 0.5, 2.0], [0.0, -2.0, 4.0], 0.5, -1.0),
    ([0.2, 0.4, 1.1, 1.7, 2.5], [1.0, 1.5, 3.5, 4.0, 6.5], 2.0, 1.0),
]


def _error(x, y, w, b):
    """The error of each prediction, y_hat - y."""
    return w * np.asarray(x, float) + b - np.asarray(y, float)


GRADIENT_MISTAKES = [
    Mistake(
        lambda x, y, w, b: -mse_gradient(x, y, w, b),
        "The sign is flipped. Differentiate (y_hat - y)**2 with y_hat = w*x + b: the error is "
        "y_hat - y (prediction minus target), and it keeps its sign.",
    ),
    Mistake(
        lambda x, y, w, b: -mse_gradient(x, y, w, b) * len(x) / 2,
        "Three things at once: the sign (use y_hat - y, prediction minus target), the factor 2 "
        "from the square, and the 1/n of the mean. dL/dw = mean of 2*(y_hat - y)*x.",
    ),
    Mistake(
        lambda x, y, w, b: -mse_gradient(x, y, w, b) / 2,
        "Two things: the sign (the error is y_hat - y, prediction minus target) and the "
        "factor 2 from the square. dL/dw = mean of 2*(y_hat - y)*x.",
    ),
    Mistake(
        lambda x, y, w, b: mse_gradient(x, y, w, b) / 2,
        "You lost the factor 2: the derivative of e**2 is 2*e, so each term is 2*(y_hat - y).",
    ),
    Mistake(
        lambda x, y, w, b: mse_gradient(x, y, w, b) * len(x),
        "You summed over the points. The MSE is a mean, so its gradient is a mean too: "
        "divide by n (np.mean does it).",
    ),
    Mistake(
        lambda x, y, w, b: mse_gradient(x, y, w, b) * len(x) / 2,
        "You summed over the points and lost the factor 2. The gradient of the MSE is "
        "the mean of 2*(y_hat - y)*x for w, and of 2*(y_hat - y) for b.",
    ),
    Mistake(
        lambda x, y, w, b: mse_gradient(x, y, w, b)[::-1],
        "The numbers are right but swapped: return [dL/dw, dL/db], w first.",
    ),
    Mistake(
        lambda x, y, w, b: np.array([2 * np.mean(_error(x, y, w, b))] * 2),
        "Your dL/dw is missing the x: the chain rule multiplies by d(y_hat)/dw = x_i, "
        "so each error is weighted by its own x before averaging.",
    ),
    Mistake(
        lambda x, y, w, b: np.mean(_error(x, y, w, b) ** 2),
        "You returned the loss itself. Return its gradient: two numbers, [dL/dw, dL/db].",
    ),
    Mistake(
        lambda x, y, w, b: np.array([w, b]) - 0.1 * mse_gradient(x, y, w, b),
        "You returned the parameters after an update step. Return the gradient itself, "
        "before any learning rate: [dL/dw, dL/db].",
    ),
]


def check_line_gradient(answer):
    """Exercise 2.1: ``line_grad(x, y, w, b)``, the gradient of the MSE of a line."""
    return check_function(
        "Exercise 2.1",
        answer,
        reference=mse_gradient,
        cases=GRADIENT_CASES,
        mistakes=GRADIENT_MISTAKES,
        signature="line_grad(x, y, w, b)",
        success="your line_grad matches the gradient of the MSE in (w, b) on every test case.",
    )


#: Exercise 2.2: four points on y = 2x + 1, the line w = 1, b = 0, learning rate 0.1.
STEP_X = np.array([0.0, 1.0, 2.0, 3.0])
STEP_Y = np.array([1.0, 3.0, 5.0, 7.0])
STEP_W, STEP_B, STEP_LR = 1.0, 0.0, 0.1


def one_step() -> np.ndarray:
    """The parameters ``[w, b]`` after one gradient-descent step of exercise 2.2."""
    start = np.array([STEP_W, STEP_B])
    return start - STEP_LR * mse_gradient(STEP_X, STEP_Y, STEP_W, STEP_B)


def check_one_step(answer):
    """Exercise 2.2: ``[w, b]`` after one step."""
    start = np.array([STEP_W, STEP_B])
    grad = mse_gradient(STEP_X, STEP_Y, STEP_W, STEP_B)
    n = len(STEP_X)
    return check_value(
        "Exercise 2.2",
        answer,
        expected=one_step(),
        mistakes=[
            Mistake(
                start + STEP_LR * grad,
                "You stepped along the gradient, uphill. The update subtracts: "
                "new = old - learning_rate * gradient.",
            ),
            Mistake(
                start - STEP_LR * grad / 2,
                "Check the gradient: you lost the factor 2 of d(e**2)/de = 2e.",
            ),
            Mistake(
                start - STEP_LR * grad * n,
                "Check the gradient: you summed over the four points instead of averaging.",
            ),
            Mistake(
                start - STEP_LR * grad * n / 2,
                "Check the gradient: you summed instead of averaging and lost the factor 2.",
            ),
            Mistake(
                start - grad,
                "You forgot the learning rate: the step is learning_rate * gradient.",
            ),
            Mistake(
                grad,
                "That is the gradient [dL/dw, dL/db] itself. Now take the step: "
                "new = old - learning_rate * gradient.",
            ),
            Mistake(
                -grad,
                "That is minus the gradient, the downhill direction. The step along it is "
                "learning_rate times it, added to the old parameters (w = 1, b = 0).",
            ),
            Mistake(
                -STEP_LR * grad,
                "That is the step itself. Add it to the old parameters (w = 1, b = 0).",
            ),
            Mistake(
                (start - STEP_LR * grad)[::-1],
                "The numbers are right but swapped: give [w, b], w first.",
            ),
        ],
        what="the list [w, b] after one step",
        success="w = 2.0 and b = 0.5: one step took the MSE from 7.5 to 0.25.",
    )


# -- Exercise 2.3: the two runs ----------------------------------------------------------------


def check_too_large(answer):
    """Exercise 2.3 (a): which run's learning rate was too large?"""
    return check_choice(
        "Exercise 2.3 (a)",
        answer,
        options={
            "A": "Run A's loss falls every 10 steps, just slowly: a rate that is too small.",
            "B": "",
        },
        correct="B",
        success="B: its loss grows about 144-fold every 10 steps, the mark of overshooting.",
    )


def check_more_steps(answer):
    """Exercise 2.3 (b): can more steps fix a learning rate that is too large?"""
    return check_choice(
        "Exercise 2.3 (b)",
        answer,
        options={
            "yes": "Each step multiplies the distance along the most curved direction by "
            "1 - eta * lambda_max, below -1 here: more steps make it larger, not smaller.",
            "no": "",
        },
        correct="no",
        success="no: above 2 / lambda_max every step makes the loss larger; lower the rate.",
    )


# -- Exercise 2.4: the condition number -------------------------------------------------------

#: Exercise 2.4: the inputs of a line, before centring. Chosen so that both condition
#: numbers are short decimals (8.5 and 1.36), which a reader of the website can type.
CONDITION_X = np.array([0.0, 0.0, 1.0, 2.0, 3.0])


def check_condition_numbers(answer):
    """Exercise 2.4: [condition number before centring, after centring] of ``CONDITION_X``."""
    raw = np.linalg.eigvalsh(hessian(CONDITION_X))
    centred = np.linalg.eigvalsh(hessian(CONDITION_X - CONDITION_X.mean()))
    expected = [raw[1] / raw[0], centred[1] / centred[0]]
    return check_value(
        "Exercise 2.4",
        answer,
        expected=expected,
        mistakes=[
            Mistake(
                [raw[0] / raw[1], centred[0] / centred[1]],
                "Upside down: the condition number is the LARGEST curvature over the smallest, "
                "so it is at least 1.",
            ),
            Mistake(
                [raw[1], centred[1]],
                "Those are the largest curvatures. Divide each by the smallest curvature of "
                "the same matrix.",
            ),
            Mistake(
                [raw[1] / raw[0], raw[1] / raw[0]],
                "Centring changes the matrix: with mean(x) = 0 the off-diagonal entries are 0. "
                "Recompute the Hessian for x - mean(x).",
            ),
            Mistake(
                [centred[1] / centred[0], raw[1] / raw[0]],
                "The numbers are right but swapped: before centring first, then after.",
            ),
            Mistake(
                [np.sqrt(raw[1] / raw[0]), np.sqrt(centred[1] / centred[0])],
                "Those are the condition numbers of the matrix with columns x and 1 (what "
                "np.linalg.cond gives for it). The Hessian's, which sets the speed of gradient "
                "descent, is their square.",
            ),
        ],
        what="the list [condition number before centring, after centring]",
        success=f"{expected[0]:g} before, {expected[1]:g} after: centring x turns a long "
        "narrow valley into an almost round bowl.",
    )


# -- the quiz -------------------------------------------------------------------------------

QUIZ = Quiz(
    "ch02",
    [
        quiz_question(
            "Quiz 2.1",
            "Why does the update subtract the gradient?",
            {
                "A": "The gradient points uphill, where the loss grows fastest",
                "B": "The gradient is always positive",
                "C": "Subtracting keeps the parameters small",
            },
            "A",
            {
                "B": "Its entries can have either sign: at the start of the chapter both were "
                "negative (-7.9924 and -6.1611).",
                "C": "Keeping weights small is a penalty's job (weight decay), not the update's.",
            },
            success="The gradient points uphill; the step goes the other way: theta - eta grad L.",
        ),
        quiz_question(
            "Quiz 2.2",
            "What does backpropagation compute?",
            {
                "A": "The loss of the model",
                "B": "The gradient of the loss with respect to every parameter",
                "C": "The new parameters after a step",
            },
            "B",
            {
                "A": "The loss comes from the forward pass; backpropagation starts from it.",
                "C": "That is the update (step 5), which uses the gradient backpropagation "
                "computed.",
            },
            success="The gradient: the chain rule carried backwards from the loss to each "
            "parameter.",
        ),
        quiz_question(
            "Quiz 2.3",
            "For a gradient check on a smooth, non-quadratic loss, how does the error of the "
            "central difference shrink when h is made 10 times smaller (before round-off "
            "takes over)?",
            {"A": "About 10 times", "B": "About 100 times", "C": "Not at all"},
            "B",
            {
                "A": "That is the one-sided difference (error of order h). The central "
                "difference's error is of order h^2.",
                "C": "It does shrink: only on a quadratic loss is it zero (up to round-off) "
                "from the start.",
            },
            success="About 100 times: its error is of order h^2, the one-sided one's of order h.",
        ),
        quiz_question(
            "Quiz 2.4",
            "Gradient descent on the chapter's line levels off at MSE 0.1209. Why not 0?",
            {
                "A": "The learning rate is too small",
                "B": "No line passes through all twenty noisy points",
                "C": "Gradient descent stops early by design",
            },
            "B",
            {
                "A": "Every rate from 0.1 to 0.4 reaches the same 0.1209: it is the least-squares "
                "line's MSE, the lowest any line has.",
                "C": "It runs all its steps; near the minimum the gradient is tiny, so the "
                "steps are too.",
            },
            success="0.1209 is the least-squares line's MSE: the noise no line can fit.",
        ),
    ],
)
quiz, quiz_field = QUIZ.check, QUIZ.field
