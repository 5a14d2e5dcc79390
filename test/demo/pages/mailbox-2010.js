// Demo Exchange: the fake OWA mailbox ("2010" generation). Talks to service.svc the way OWA's
// scripts do (POST, JSON, Action + X-OWA-CANARY headers) so the extension sees real-looking
// traffic, and shows a 440 the way a user would notice it.
(function () {
  'use strict';
  var body = document.body;
  var pollMs = Number(body.dataset.pollMs) || 5000;
  var pingMs = Number(body.dataset.pingMs) || 30000;
  // "2016": the notification long-poll OWA 2013+ keeps open (the server holds it this long).
  var notifyMs = Number(body.dataset.notifyMs) || 0;
  var clientId = Math.random().toString(16).slice(2).toUpperCase();
  var notifying = false;
  var timers = [];

  function $(id) { return document.getElementById(id); }
  function canary() {
    var match = document.cookie.match(/(?:^|;\s*)X-OWA-CANARY=([^;]*)/);
    return match ? decodeURIComponent(match[1]) : '';
  }
  function show(id, text, state) {
    var el = $(id);
    el.textContent = text;
    el.dataset.state = state;
  }
  function time() { return new Date().toLocaleTimeString(); }

  function service(action, payload, userActivity) {
    return fetch('/owa/service.svc?action=' + action, {
      method: 'POST',
      credentials: 'same-origin',
      headers: {
        'Content-Type': 'application/json; charset=utf-8',
        'Action': action,
        'X-OWA-ActionName': action,
        'X-OWA-CANARY': canary(),
        'X-Requested-With': 'XMLHttpRequest',
        'X-UserActivity': userActivity ? '1' : '0'
      },
      body: JSON.stringify({ __type: action + 'JsonRequest:#Exchange', Body: payload })
    });
  }

  function stopPolling() {
    timers.forEach(clearInterval);
    timers = [];
  }
  function startPolling() {
    stopPolling();
    timers.push(setInterval(function () { getFolder(false); }, pollMs));
    timers.push(setInterval(ping, pingMs));
  }
  function expired(what) {
    stopPolling();
    notifying = false;
    show('serviceStatus', '440 — session expired' + (what ? ' (' + what + ')' : ''), 'expired');
    $('signInAgainLink').hidden = false;
  }
  // Returns the parsed JSON of a 200, or null after reporting anything else.
  async function answer(response, what) {
    if (response.status === 440) { expired(what); return null; }
    if (!response.ok) { show('serviceStatus', response.status + ' — ' + response.statusText + ' (' + what + ')', 'error'); return null; }
    return response.json();
  }
  function firstItem(data) {
    return data && data.Body && data.Body.ResponseMessages && data.Body.ResponseMessages.Items[0];
  }

  async function getFolder(userActivity) {
    try {
      var data = await answer(await service('GetFolder', { FolderIds: [{ __type: 'DistinguishedFolderId:#Exchange', Id: 'inbox' }] }, userActivity), 'GetFolder');
      var folder = firstItem(data) && firstItem(data).Folders[0];
      if (!folder) return;
      $('folderName').textContent = folder.DisplayName;
      $('unreadCount').textContent = String(folder.UnreadCount);
      show('serviceStatus', '200 — GetFolder ' + folder.DisplayName + ': ' + folder.UnreadCount + ' unread, ' + folder.TotalCount + ' items at ' + time(), 'ok');
      if (!timers.length) startPolling();
      if (notifyMs) pendingNotifications();
    } catch (error) {
      show('serviceStatus', 'network error — ' + error.message, 'error');
    }
  }

  async function findItems() {
    try {
      var data = await answer(await service('FindItem', { ParentFolderIds: [{ Id: 'inbox' }] }, true), 'FindItem');
      var item = firstItem(data);
      if (!item) return;
      var list = $('inboxList');
      list.textContent = '';
      item.RootFolder.Items.forEach(function (message) {
        var li = document.createElement('li');
        li.className = message.IsRead ? 'read' : 'unread';
        var from = document.createElement('span');
        from.className = 'from';
        from.textContent = message.From.Mailbox.Name;
        li.appendChild(from);
        li.appendChild(document.createTextNode(message.Subject));
        list.appendChild(li);
      });
    } catch (error) {
      show('serviceStatus', 'network error — ' + error.message, 'error');
    }
  }

  async function ping() {
    try {
      var response = await fetch('/owa/ping.owa', {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'X-OWA-CANARY': canary(), 'X-Requested-With': 'XMLHttpRequest', 'X-UserActivity': '0' }
      });
      show('pingStatus', 'ping.owa: ' + response.status + ' ' + response.statusText + ' at ' + time(), response.ok ? 'ok' : response.status === 440 ? 'expired' : 'error');
      if (response.status === 440) expired('ping.owa');
    } catch (error) {
      show('pingStatus', 'ping.owa: network error — ' + error.message, 'error');
    }
  }

  // A plain GET marked UA=0: it never renews the session, and after the session ended it is
  // redirected to the logon page (reason=3) rather than answered with 440.
  async function pendingNotifications() {
    if (notifying) return;
    notifying = true;
    var notify = $('notifyStatus');
    notify.hidden = false;
    while (notifying) {
      try {
        show('notifyStatus', 'notifications: waiting (ev.owa2, UA=0) since ' + time(), 'ok');
        var response = await fetch('/owa/ev.owa2?ns=PendingRequest&ev=PendingNotificationRequest&UA=0&cid=' + clientId + '&X-OWA-CANARY=' + encodeURIComponent(canary()), { credentials: 'same-origin' });
        await response.text();
        if (response.redirected || response.url.indexOf('/owa/auth/logon.aspx') >= 0) {
          show('notifyStatus', 'notifications: the session ended (sent to the logon page) at ' + time(), 'expired');
          expired('ev.owa2');
          return;
        }
        if (!response.ok) {
          show('notifyStatus', 'notifications: ' + response.status + ' ' + response.statusText + ' at ' + time(), response.status === 440 ? 'expired' : 'error');
          notifying = false;
          return;
        }
      } catch (error) {
        show('notifyStatus', 'notifications: network error — ' + error.message, 'error');
        notifying = false;
        return;
      }
    }
  }

  async function send(event) {
    event.preventDefault();
    try {
      var data = await answer(await service('CreateItem', {
        MessageDisposition: 'SendAndSaveCopy',
        Items: [{ ToRecipients: [$('composeTo').value], Subject: $('composeSubject').value, Body: { BodyType: 'Text', Value: $('composeBody').value } }]
      }, true), 'CreateItem: your message was not sent');
      if (!data) return;
      show('serviceStatus', '200 — CreateItem: message sent at ' + time(), 'ok');
      $('composeForm').reset();
      $('composeForm').hidden = true;
    } catch (error) {
      show('serviceStatus', 'network error — ' + error.message, 'error');
    }
  }

  async function expireNow() {
    await fetch('/demo-exchange/expire', { method: 'POST' });
    show('serviceStatus', 'demo: every session on this server expired; the next request gets 440', 'error');
  }

  $('refreshButton').addEventListener('click', function () { getFolder(true); });
  $('newMessageButton').addEventListener('click', function () {
    $('composeForm').hidden = false;
    $('composeTo').focus();
  });
  $('composeForm').addEventListener('submit', send);
  $('expireButton').addEventListener('click', expireNow);
  if (body.dataset.activesync) $('activeSyncLink').hidden = false;

  findItems().then(function () { return getFolder(false); });
})();
