// The web player of a lossbook explorer (markup: lossbook/explore/player.py).
// Each range input picks a position along one control; the frame shown is the
// row-major index over all controls, the order of Explorer.frames().
(function () {
  "use strict";
  var script = document.currentScript;
  var root = script && script.closest(".lossbook-explorer");
  if (!root) {
    return;
  }
  var data = JSON.parse(root.querySelector(".lbx-data").textContent);
  var inputs = root.querySelectorAll(".lbx-control input");
  var image = root.querySelector(".lbx-figure");
  var caption = root.querySelector(".lbx-caption");

  function show() {
    var frame = 0;
    inputs.forEach(function (input, i) {
      var at = Number(input.value);
      frame = frame * data.shape[i] + at;
      input.setAttribute("aria-valuetext", data.valuetexts[i][at]);
      input.nextElementSibling.textContent = data.labels[i][at];
    });
    image.src = data.frames[frame];
    image.alt = data.description + ". " + data.captions[frame];
    caption.textContent = data.captions[frame];
    root.dataset.frame = frame;
  }

  // On the website the frames are files: fetch them once the explorer comes near,
  // so moving a slider shows the next frame without waiting for the network.
  var preloaded = false;
  function preload() {
    if (preloaded) {
      return;
    }
    preloaded = true;
    data.frames.forEach(function (src) {
      if (src.indexOf("data:") !== 0) {
        new Image().src = src;
      }
    });
  }
  if ("IntersectionObserver" in window) {
    var observer = new IntersectionObserver(
      function (entries) {
        if (entries.some(function (entry) { return entry.isIntersecting; })) {
          observer.disconnect();
          preload();
        }
      },
      { rootMargin: "800px 0px" }
    );
    observer.observe(root);
  }

  inputs.forEach(function (input) {
    input.addEventListener("input", show);
    input.addEventListener("focus", preload);
  });
})();
