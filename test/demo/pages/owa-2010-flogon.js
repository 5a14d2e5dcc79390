// Demo Exchange: the logon page script. Like OWA's flogon.js it turns the public/private
// choice into bit 4 of `flags` just before the form is posted; 2013+ ignores `trusted`. The
// default 2013 SP1+ page ("2016") has no choice: its hidden flags=4 is posted as it is.
(function () {
  'use strict';
  function onSubmit() {
    var flags = document.getElementById('flags');
    var prvt = document.getElementById('rdoPrvt');
    if (!prvt) return;
    var value = parseInt(flags.value, 10) || 0;
    flags.value = String(prvt && prvt.checked ? value | 4 : value & ~4);
  }
  document.addEventListener('DOMContentLoaded', function () {
    var form = document.getElementById('logonForm');
    form.addEventListener('submit', onSubmit);
    var user = document.getElementById('username');
    if (user && !user.value) user.focus();
  });
})();
