// Demo Exchange: the fake OWA 2003 mailbox. WebDAV over XMLHttpRequest, as OWA 2003 did.
(function () {
  'use strict';
  var body = document.body;
  var folderUrl = body.dataset.folderUrl;
  var pollMs = Number(body.dataset.pollMs) || 5000;
  var timer = null;
  var DAV = 'DAV:';
  var MAIL = 'urn:schemas:httpmail:';

  function $(id) { return document.getElementById(id); }
  function show(text, state) {
    var el = $('serviceStatus');
    el.textContent = text;
    el.dataset.state = state;
  }
  function time() { return new Date().toLocaleTimeString(); }

  function request(method, url, headers, payload, done) {
    var xhr = new XMLHttpRequest();
    xhr.open(method, url, true);
    Object.keys(headers).forEach(function (name) { xhr.setRequestHeader(name, headers[name]); });
    xhr.onload = function () { done(xhr); };
    xhr.onerror = function () { show('network error (' + method + ')', 'error'); };
    xhr.send(payload);
  }
  function expired(what) {
    clearInterval(timer);
    timer = null;
    show('440 — session expired (' + what + ')', 'expired');
    $('signInAgainLink').hidden = false;
  }

  function search(userActivity) {
    var sql = 'SELECT "DAV:href", "urn:schemas:httpmail:subject", "urn:schemas:httpmail:fromname", "urn:schemas:httpmail:read" ' +
      'FROM SCOPE(\'shallow traversal of "' + folderUrl + '"\') WHERE "DAV:ishidden" = false';
    var xml = '<?xml version="1.0"?><D:searchrequest xmlns:D="DAV:"><D:sql>' + sql.replace(/&/g, '&amp;').replace(/</g, '&lt;') + '</D:sql></D:searchrequest>';
    request('SEARCH', folderUrl, { 'Content-Type': 'text/xml', 'Depth': '1', 'Translate': 'f', 'X-UserActivity': userActivity ? '1' : '0' }, xml, function (xhr) {
      if (xhr.status === 440) return expired('SEARCH');
      if (xhr.status !== 207 || !xhr.responseXML) return show(xhr.status + ' — ' + xhr.statusText + ' (SEARCH)', 'error');
      render(xhr.responseXML);
      show('207 — SEARCH Inbox: ' + $('unreadCount').textContent + ' unread at ' + time(), 'ok');
      if (!timer) timer = setInterval(function () { search(false); }, pollMs);
    });
  }
  function render(doc) {
    var list = $('inboxList');
    var unread = 0;
    list.textContent = '';
    Array.prototype.forEach.call(doc.getElementsByTagNameNS(DAV, 'response'), function (response) {
      function prop(ns, name) {
        var el = response.getElementsByTagNameNS(ns, name)[0];
        return el ? el.textContent : '';
      }
      var read = prop(MAIL, 'read') === '1';
      if (!read) unread++;
      var li = document.createElement('li');
      li.className = read ? 'read' : 'unread';
      var from = document.createElement('span');
      from.className = 'from';
      from.textContent = prop(MAIL, 'fromname');
      li.appendChild(from);
      li.appendChild(document.createTextNode(prop(MAIL, 'subject')));
      list.appendChild(li);
    });
    $('unreadCount').textContent = String(unread);
  }

  function send(event) {
    event.preventDefault();
    var form = new URLSearchParams({ Cmd: 'send', to: $('composeTo').value, subject: $('composeSubject').value, body: $('composeBody').value });
    var drafts = folderUrl.replace(/Inbox\/$/, 'Drafts/');
    request('POST', drafts + '?Cmd=send', { 'Content-Type': 'application/x-www-form-urlencoded' }, form.toString(), function (xhr) {
      if (xhr.status === 440) return expired('send: your message was not sent');
      if (xhr.status !== 200) return show(xhr.status + ' — ' + xhr.statusText + ' (send)', 'error');
      show('200 — message sent at ' + time(), 'ok');
      $('composeForm').reset();
      $('composeForm').hidden = true;
    });
  }

  $('refreshButton').addEventListener('click', function () { search(true); });
  $('newMessageButton').addEventListener('click', function () {
    $('composeForm').hidden = false;
    $('composeTo').focus();
  });
  $('composeForm').addEventListener('submit', send);
  $('expireButton').addEventListener('click', function () {
    request('POST', '/demo-exchange/expire', {}, null, function () {
      show('demo: every session on this server expired; the next request gets 440', 'error');
    });
  });

  search(true);
})();
