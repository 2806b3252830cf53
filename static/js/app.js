// Progressive enhancements; every page works without this file.

// Live preview in the quiz editor (/author/new, /author/<uid>/edit). The
// editor works without this: its Preview button posts the form to
// /author/preview and the page comes back with the preview. Here the same
// POST is sent as the trainer types (once typing pauses), asking for the
// preview region alone; the answer replaces the region, and the sentence
// that sums it up (no problem, or how many) is put in the page's status
// region, which screen readers announce. A problem's link puts the caret
// on its line of the text.
(function () {
  'use strict';
  var form = document.querySelector('form[data-live-preview]');
  var text = document.getElementById('editor-text');
  if (!form || !text || !window.fetch || !window.FormData || !window.URLSearchParams || !window.DOMParser) {
    return;
  }
  var url = form.getAttribute('data-live-preview');
  var status = document.getElementById('preview-status');
  var delay = 400;
  var timer = 0;
  var sent = 0; // number of the latest request: older answers are dropped

  function preview() {
    var n = ++sent;
    fetch(url, {
      method: 'POST',
      body: new URLSearchParams(new FormData(form)),
      credentials: 'same-origin',
      headers: { 'X-Preview-Fragment': '1' }
    }).then(function (res) {
      return res.text();
    }).then(function (html) {
      if (n !== sent) {
        return;
      }
      var fresh = new DOMParser().parseFromString(html, 'text/html').getElementById('preview');
      var old = document.getElementById('preview');
      if (!fresh || !old) {
        return;
      }
      old.parentNode.replaceChild(document.importNode(fresh, true), old);
      // Announced only when it changes: a pause in typing that changes
      // nothing says nothing.
      var said = fresh.getAttribute('data-status') || '';
      if (status && status.textContent !== said) {
        status.textContent = said;
      }
    }).catch(function () {
      // Offline or refused: the Preview button still works.
    });
  }

  function schedule() {
    window.clearTimeout(timer);
    timer = window.setTimeout(preview, delay);
  }
  form.addEventListener('input', schedule);
  form.addEventListener('change', schedule);

  // "line N: message" links: select line N of the text.
  document.addEventListener('click', function (e) {
    var link = e.target && e.target.closest ? e.target.closest('a[data-line]') : null;
    if (!link) {
      return;
    }
    var line = parseInt(link.getAttribute('data-line'), 10);
    if (!(line > 0)) {
      return;
    }
    e.preventDefault();
    var lines = text.value.split('\n');
    var start = 0;
    for (var i = 0; i < line - 1 && i < lines.length; i++) {
      start += lines[i].length + 1;
    }
    var end = start + (lines[line - 1] || '').length;
    text.focus();
    text.setSelectionRange(start, end);
    // Scroll the line into view: the share of the text above it.
    if (lines.length > 1) {
      text.scrollTop = Math.max(0, (text.scrollHeight * (line - 1)) / lines.length - text.clientHeight / 3);
    }
  });
})();

// Row menus (<details class="row-menu">, on /admin/users): one open at a
// time, Escape closes the open one and puts focus back on its button, a
// click elsewhere closes it. Without this they open and close as any
// <details> does.
(function () {
  'use strict';
  var menus = document.querySelectorAll('details.row-menu');
  if (!menus.length) {
    return;
  }
  function closeAll(except) {
    for (var i = 0; i < menus.length; i++) {
      if (menus[i] !== except) {
        menus[i].open = false;
      }
    }
  }
  for (var i = 0; i < menus.length; i++) {
    menus[i].addEventListener('toggle', function (e) {
      if (e.target.open) {
        closeAll(e.target);
      }
    });
  }
  document.addEventListener('keydown', function (e) {
    if (e.key !== 'Escape') {
      return;
    }
    var open = document.querySelector('details.row-menu[open]');
    if (open) {
      open.open = false;
      open.querySelector('summary').focus();
    }
  });
  document.addEventListener('click', function (e) {
    if (!e.target.closest || !e.target.closest('details.row-menu')) {
      closeAll(null);
    }
  });
})();

// The main menu is a strip that scrolls sideways when the header has not
// room for all its entries (on a phone, or a long menu): mark it so that
// its ends fade, and bring the current entry into it.
(function () {
  'use strict';
  var nav = document.querySelector('.main-nav');
  if (!nav) {
    return;
  }
  function update() {
    nav.classList.remove('is-scrolling');
    if (nav.scrollWidth <= nav.clientWidth + 1) {
      return;
    }
    nav.classList.add('is-scrolling');
    var current = nav.querySelector('[aria-current="page"]');
    if (current) {
      var left = current.getBoundingClientRect().left - nav.getBoundingClientRect().left + nav.scrollLeft;
      nav.scrollLeft = Math.max(0, left - (nav.clientWidth - current.offsetWidth) / 2);
    }
  }
  update();
  var timer = 0;
  window.addEventListener('resize', function () {
    clearTimeout(timer);
    timer = setTimeout(update, 100);
  });
})();

// Dates and times in the reader's own time zone. The server writes them in
// words in UTC, which every reader can read; where the browser knows its
// time zone, a <time data-local> is rewritten in it, in the page's
// language, with the zone named so that nobody mistakes it for UTC.
(function () {
  'use strict';
  if (!window.Intl || !Intl.DateTimeFormat) {
    return;
  }
  var lang = document.documentElement.lang || 'en';
  var format;
  try {
    format = new Intl.DateTimeFormat(lang, {
      year: 'numeric', month: 'long', day: 'numeric', hour: '2-digit', minute: '2-digit', timeZoneName: 'short'
    });
  } catch (e) {
    return;
  }
  var times = document.querySelectorAll('time[data-local][datetime]');
  for (var i = 0; i < times.length; i++) {
    var d = new Date(times[i].getAttribute('datetime'));
    if (!isNaN(d.getTime())) {
      times[i].textContent = format.format(d);
    }
  }
})();
