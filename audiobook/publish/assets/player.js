// audiobook edition page: chapter and sentence seeking, and the sentence being heard highlighted.
// No framework, no network: the cue times are in the page (data-start/data-end), so it works from file://.
(function () {
  "use strict";

  function startOf(el) { return parseFloat(el.getAttribute("data-start")) || 0; }

  // Index of the last element starting at or before t (-1 before the first).
  function findAt(starts, t) {
    var lo = 0, hi = starts.length - 1, found = -1;
    while (lo <= hi) {
      var mid = (lo + hi) >> 1;
      if (starts[mid] <= t + 0.001) { found = mid; lo = mid + 1; } else { hi = mid - 1; }
    }
    return found;
  }

  function setCurrent(list, index, previous) {
    if (previous >= 0 && list[previous]) { list[previous].removeAttribute("aria-current"); }
    if (index >= 0 && list[index]) { list[index].setAttribute("aria-current", "true"); }
  }

  function setUp(box) {
    var audio = box.querySelector("audio");
    if (!audio) { return; }
    var seeks = Array.prototype.slice.call(box.querySelectorAll("button.seek"));
    var seekStarts = seeks.map(startOf);
    var cues = Array.prototype.slice.call(box.querySelectorAll(".cue"));
    var cueStarts = cues.map(startOf);
    var scroller = box.querySelector(".cues");
    var curSeek = -1, curCue = -1, rover = 0;
    // Nothing is "being heard" until this player has been started or moved.
    var started = false;

    function seek(t) {
      started = true;
      audio.currentTime = t;
      var played = audio.play();
      if (played && played.catch) { played.catch(function () { /* autoplay refused: the seek still stands */ }); }
      update();
    }

    function rove(index) {
      if (!cues.length) { return; }
      cues[rover].setAttribute("tabindex", "-1");
      rover = Math.max(0, Math.min(cues.length - 1, index));
      cues[rover].setAttribute("tabindex", "0");
    }

    function keepVisible(el) {
      if (!scroller || !el) { return; }
      var top = el.offsetTop - scroller.offsetTop;
      if (top < scroller.scrollTop || top + el.offsetHeight > scroller.scrollTop + scroller.clientHeight) {
        scroller.scrollTop = Math.max(0, top - scroller.clientHeight / 3);
      }
    }

    function update() {
      var t = audio.currentTime || 0;
      if (t > 0) { started = true; }
      var s = started ? findAt(seekStarts, t) : -1;
      if (s !== curSeek) { setCurrent(seeks, s, curSeek); curSeek = s; }
      var c = started ? findAt(cueStarts, t) : -1;
      if (c !== curCue) {
        setCurrent(cues, c, curCue);
        curCue = c;
        // Follow the voice, but never pull focus or scroll from under a reader who is navigating.
        if (c >= 0 && !(scroller && scroller.contains(document.activeElement))) {
          rove(c);
          if (!audio.paused) { keepVisible(cues[c]); }
        }
      }
    }

    seeks.forEach(function (button, i) {
      button.addEventListener("click", function () { seek(seekStarts[i]); });
    });
    cues.forEach(function (cue, i) {
      cue.addEventListener("click", function () { rove(i); seek(cueStarts[i]); });
      cue.addEventListener("keydown", function (ev) {
        var key = ev.key, next = null;
        if (key === "ArrowRight" || key === "ArrowDown") { next = i + 1; }
        else if (key === "ArrowLeft" || key === "ArrowUp") { next = i - 1; }
        else if (key === "Home") { next = 0; }
        else if (key === "End") { next = cues.length - 1; }
        else if (key === "Enter" || key === " " || key === "Spacebar") { ev.preventDefault(); seek(cueStarts[i]); return; }
        if (next !== null) { ev.preventDefault(); rove(next); cues[rover].focus(); }
      });
    });
    ["timeupdate", "seeked", "seeking", "loadedmetadata"].forEach(function (name) {
      audio.addEventListener(name, update);
    });
    // timeupdate fires only about four times a second; while playing, follow every frame
    // so the highlight moves when the voice does.
    function follow() {
      update();
      if (!audio.paused && !audio.ended) { window.requestAnimationFrame(follow); }
    }
    audio.addEventListener("playing", function () { window.requestAnimationFrame(follow); });
    audio.addEventListener("play", function () {
      started = true;
      update();
      // One voice at a time: starting one player pauses the others.
      Array.prototype.forEach.call(document.querySelectorAll("audio"), function (other) {
        if (other !== audio && !other.paused) { other.pause(); }
      });
    });
    update();
  }

  Array.prototype.forEach.call(document.querySelectorAll("[data-player]"), setUp);
})();
