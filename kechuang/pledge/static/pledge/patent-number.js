// Checks a Chinese patent application number's check digit as it is typed (the server checks it again).
(function () {
  "use strict";
  function checkDigit(digits) {
    var total = 0;
    for (var i = 0; i < digits.length; i++) total += parseInt(digits[i], 10) * (2 + (i % 8));
    var v = total % 11;
    return v === 10 ? "X" : String(v);
  }
  function verdict(raw) {
    var text = raw.replace(/[\s\u3000]/g, "").toUpperCase().replace("．", ".").replace(/^(ZL|CN)/, "");
    var m = /^(\d{8}|\d{12})\.?([0-9X])?$/.exec(text);
    if (!text) return "";
    if (!m) return "bad";
    if (!m[2]) return "nocheck";
    return checkDigit(m[1]) === m[2] ? "ok" : "mismatch";
  }
  document.addEventListener("DOMContentLoaded", function () {
    var input = document.querySelector("input[data-patent-number]");
    if (!input) return;
    var note = document.createElement("span");
    note.className = "patent-number-check";
    input.insertAdjacentElement("afterend", note);
    input.addEventListener("input", function () {
      var v = verdict(input.value);
      note.textContent = v ? input.dataset["msg" + v.charAt(0).toUpperCase() + v.slice(1)] : "";
      note.className = "patent-number-check " + (v === "ok" ? "badge ok" : v ? "error" : "");
    });
  });
})();
