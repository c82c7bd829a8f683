/*
 * Staff inactivity warning for the admin (see portal.middleware.StaffSessionTimeoutMiddleware).
 *
 * The server ends a staff session after `data-idle-seconds` without a request; `data-remaining-seconds`
 * is what was left when this page was served. Two minutes before the end a banner with role="alert"
 * (announced by screen readers) offers "Stay logged in", which POSTs to the keepalive endpoint and
 * restarts the clock. Texts come translated from the page (data-*-text); no network resources.
 */
(function () {
  "use strict";

  var script = document.currentScript;
  if (!script) {
    return;
  }
  var data = script.dataset;
  var idleSeconds = parseInt(data.idleSeconds, 10);
  var remainingSeconds = parseInt(data.remainingSeconds, 10);
  if (!(idleSeconds > 0)) {
    return;
  }
  if (!(remainingSeconds >= 0)) {
    remainingSeconds = idleSeconds;
  }
  var WARN_BEFORE_SECONDS = 120;
  var warnTimer = null;
  var expireTimer = null;
  var banner = null;

  function ensureBanner() {
    if (banner) {
      return banner;
    }
    // The live region exists (empty, hence hidden by CSS) before any text goes in, so assistive
    // technology announces the text when it appears.
    banner = document.createElement("div");
    banner.className = "staff-session-warning";
    banner.id = "staff-session-warning";
    banner.setAttribute("role", "alert");
    document.body.insertBefore(banner, document.body.firstChild);
    return banner;
  }

  function clearBanner() {
    ensureBanner().textContent = "";
  }

  function say(text, withButton) {
    var region = ensureBanner();
    region.textContent = "";
    var message = document.createElement("p");
    message.textContent = text;
    region.appendChild(message);
    if (withButton) {
      var button = document.createElement("button");
      button.type = "button";
      button.textContent = data.buttonText;
      button.addEventListener("click", stayLoggedIn);
      region.appendChild(button);
    }
  }

  function schedule(secondsLeft) {
    window.clearTimeout(warnTimer);
    window.clearTimeout(expireTimer);
    warnTimer = window.setTimeout(function () {
      say(data.warningText, true);
    }, Math.max(secondsLeft - WARN_BEFORE_SECONDS, 0) * 1000);
    expireTimer = window.setTimeout(function () {
      say(data.expiredText, false);
    }, secondsLeft * 1000);
  }

  function stayLoggedIn() {
    fetch(data.keepaliveUrl, {
      method: "POST",
      credentials: "same-origin",
      redirect: "manual",
      headers: { "X-CSRFToken": data.csrfToken },
    })
      .then(function (response) {
        if (response.status === 204) {
          clearBanner();
          schedule(idleSeconds);
        } else {
          say(data.expiredText, false);
        }
      })
      .catch(function () {
        say(data.failedText, true);
      });
  }

  function start() {
    ensureBanner();
    schedule(remainingSeconds);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
