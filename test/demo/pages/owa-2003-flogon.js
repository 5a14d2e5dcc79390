// Demo Exchange: the 2003 logon page script. Exchange 2003 reads `trusted` itself; its page
// also mirrored the choice into `flags` bit 4, which later versions read instead.
(function () {
  'use strict';
  document.addEventListener('DOMContentLoaded', function () {
    var form = document.getElementById('logonForm');
    form.addEventListener('submit', function () {
      var flags = document.getElementById('flags');
      var value = parseInt(flags.value, 10) || 0;
      flags.value = String(document.getElementById('rdoPrvt').checked ? value | 4 : value & ~4);
    });
    document.getElementById('username').focus();
  });
})();
