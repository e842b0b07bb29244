/* The compose form of a message (and the tip form): a live SMS counter under each SMS text, the target panel of the
   chosen kind only (networks, zone, municipality, area), the date field only when scheduling, and a search box over
   a long list of networks. Without JavaScript the form works as it is: every panel shows and the server counts.

   The counter mirrors messaging/sms.py exactly: a text fits the GSM 03.38 7-bit alphabet (160 characters in one
   SMS, 153 per part when longer; the extension table's characters count twice) or else is sent as UCS-2 (70 UTF-16
   code units, 67 per part). Line breaks count as one character and surrounding spaces are dropped, as the server
   does before sending. A test compares both implementations. No inline script (CSP). */
(function () {
  "use strict";

  var GSM7_BASIC =
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?" +
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
  var GSM7_EXTENSION = "^{}\\[~]|€\f";
  var BASIC = new Set(Array.from(GSM7_BASIC));
  var EXTENSION = new Set(Array.from(GSM7_EXTENSION));

  /* The same figures as messaging.sms.sms_length(text). */
  function smsLength(text) {
    var gsm = true;
    var units = 0;
    for (var ch of text) {
      if (BASIC.has(ch)) {
        units += 1;
      } else if (EXTENSION.has(ch)) {
        units += 2;
      } else {
        gsm = false;
        break;
      }
    }
    var single = 160, multi = 153, encoding = "GSM-7";
    if (!gsm) {
      units = text.length; // UTF-16 code units, as len(text.encode("utf-16-le")) // 2
      single = 70;
      multi = 67;
      encoding = "UCS-2";
    }
    if (units === 0) { return { encoding: encoding, characters: 0, segments: 0, perSegment: single }; }
    if (units <= single) { return { encoding: encoding, characters: units, segments: 1, perSegment: single }; }
    return { encoding: encoding, characters: units, segments: Math.ceil(units / multi), perSegment: multi };
  }

  function normalise(value) {
    return value.replace(/\r\n?/g, "\n").trim();
  }

  function fill(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (whole, name) {
      return Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : whole;
    });
  }

  function initCounter(field) {
    var counter = document.getElementById(field.dataset.smsCounter);
    if (!counter) { return; }
    var figures = counter.querySelector("[data-counter-figures]");
    var tooLong = counter.querySelector("[data-counter-too-long]");
    var ucs2 = counter.querySelector("[data-counter-ucs2]");
    var maximum = parseInt(counter.dataset.maxSegments, 10) || 3;
    var timer = null;

    function update() {
      var length = smsLength(normalise(field.value));
      counter.dataset.characters = String(length.characters);
      counter.dataset.segments = String(length.segments);
      counter.dataset.encoding = length.encoding;
      figures.textContent = fill(counter.dataset.template, {
        characters: length.characters,
        segments: length.segments,
        encoding: length.encoding,
        per_segment: length.perSegment,
      });
      tooLong.textContent = fill(counter.dataset.tooLong, { max: maximum });
      tooLong.hidden = length.segments <= maximum;
      ucs2.hidden = length.encoding !== "UCS-2";
      field.setAttribute("aria-invalid", length.segments > maximum ? "true" : "false");
    }

    // The counter is a polite live region: it is rewritten once typing pauses, so that screen readers hear the
    // figures then rather than being interrupted at every key.
    field.addEventListener("input", function () {
      if (timer) { window.clearTimeout(timer); }
      timer = window.setTimeout(update, 250);
    });
    update();
  }

  function initTargetKinds(form) {
    var radios = form.querySelectorAll('input[name="target_kind"]');
    var panels = form.querySelectorAll("[data-target-kind]");
    if (!radios.length || !panels.length) { return; }

    function show() {
      var checked = form.querySelector('input[name="target_kind"]:checked');
      var kind = checked ? checked.value : null;
      panels.forEach(function (panel) {
        panel.hidden = kind !== null && panel.dataset.targetKind !== kind;
      });
      document.dispatchEvent(new CustomEvent("compose:target-kind", { detail: { kind: kind } }));
    }

    radios.forEach(function (radio) { radio.addEventListener("change", show); });
    show();
  }

  function initWhen(form) {
    var later = form.querySelector("[data-send-later]");
    var radios = form.querySelectorAll('input[name="when"]');
    if (!later || !radios.length) { return; }

    function show() {
      var checked = form.querySelector('input[name="when"]:checked');
      later.hidden = !(checked && checked.value === "later");
    }

    radios.forEach(function (radio) { radio.addEventListener("change", show); });
    show();
  }

  function initNetworkSearch(form) {
    var box = form.querySelector("[data-network-search]");
    var list = document.getElementById("id_networks");
    if (!box || !list) { return; }
    var input = box.querySelector("input");
    var status = box.querySelector("[aria-live]");
    var options = Array.prototype.slice.call(list.children);
    box.hidden = false;

    input.addEventListener("input", function () {
      var words = input.value.toLocaleLowerCase().split(/\s+/).filter(Boolean);
      var shown = 0;
      options.forEach(function (option) {
        var text = option.textContent.toLocaleLowerCase();
        var checkbox = option.querySelector("input");
        var match = (checkbox && checkbox.checked) || words.every(function (word) { return text.indexOf(word) !== -1; });
        option.hidden = !match;
        if (match) { shown += 1; }
      });
      status.textContent = words.length
        ? fill(status.dataset.shownTemplate, { shown: shown, total: options.length })
        : "";
    });
    // Enter in the search box filters; it must not submit the message.
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter") { event.preventDefault(); }
    });
  }

  function init() {
    // After a refused submission, the error summary takes the focus so that it is read first.
    var summary = document.getElementById("error-summary");
    if (summary) { summary.focus(); }
    document.querySelectorAll("textarea[data-sms-counter]").forEach(initCounter);
    var form = document.getElementById("compose-form");
    if (form) {
      initTargetKinds(form);
      initWhen(form);
      initNetworkSearch(form);
    }
  }

  window.binplpSmsLength = smsLength;

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
