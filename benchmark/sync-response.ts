// A realistic ActiveSync Sync response for the benchmark: one Inbox collection with thousands of
// emails, each with a UTF-8 subject and sender, an HTML body, a conversation id and index
// (OPAQUE), categories, a flag and attachments. Deterministic: the same bytes on every run.

import { createDocument, element, encode, type WbxmlElement } from '../src/wbxml/index.js';
import { random } from './random.js';

const SUBJECTS = [
  'Quarterly report',
  'Persönlich: Urlaubsplanung für Sommer',
  '会议纪要 — 第三季度',
  'Re: Lunch? 🍕🍣',
  'Rechnung Nr. 2024-0815 (Überfällig)',
  'Встреча в пятницу',
  'Déjà vu: the café menu',
  'プロジェクトの進捗状況について',
];
const NAMES = ['Jürgen Müller', 'Zoë Faßbender', '王小明', 'Ana María Peña', 'Søren Kierkegård', 'Ελένη Παπαδοπούλου'];
const WORDS = 'lorem ipsum dolor sit amet Größe Übermaß naïve façade 東京 北京 emoji 😀 ✓ — “quoted” meeting budget review'.split(' ');

function email(i: number, next: () => number): WbxmlElement {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)]!;
  const from = pick(NAMES);
  let html = '<html><body>';
  const paragraphs = 3 + Math.floor(next() * 12);
  for (let p = 0; p < paragraphs; p++) {
    html += '<p>';
    for (let w = 0; w < 40; w++) html += `${pick(WORDS)} `;
    html += '</p>';
  }
  html += '</body></html>';
  const bytes = (n: number): Uint8Array => Uint8Array.from({ length: n }, () => Math.floor(next() * 256));
  const attachments = Math.floor(next() * 3);
  const application = element(
    'ApplicationData',
    element('Email:To', `"Empfänger ${i}" <user${i}@example.com>`),
    element('Email:From', `"${from}" <sender${i % 97}@example.org>`),
    element('Email:Subject', `${pick(SUBJECTS)} #${i}`),
    element('Email:DateReceived', `2024-03-${String(1 + (i % 28)).padStart(2, '0')}T10:${String(i % 60).padStart(2, '0')}:00.000Z`),
    element('Email:DisplayTo', `Empfänger ${i}`),
    element('Email:ThreadTopic', pick(SUBJECTS)),
    element('Email:Importance', '1'),
    element('Email:Read', String(i % 2)),
    element('AirSyncBase:Body', element('AirSyncBase:Type', '2'), element('AirSyncBase:EstimatedDataSize', String(html.length)), element('AirSyncBase:Data', html)),
    ...(attachments > 0
      ? [
          element(
            'AirSyncBase:Attachments',
            ...Array.from({ length: attachments }, (_, a) =>
              element(
                'AirSyncBase:Attachment',
                element('AirSyncBase:DisplayName', `Anhang-${a} Übersicht ${i}.pdf`),
                element('AirSyncBase:FileReference', `7%3a${i}%3a${a}`),
                element('AirSyncBase:Method', '1'),
                element('AirSyncBase:EstimatedDataSize', String(10000 + Math.floor(next() * 1e6))),
                element('AirSyncBase:IsInline', '0'),
              ),
            ),
          ),
        ]
      : []),
    element('Email:MessageClass', 'IPM.Note'),
    element('Email:InternetCPID', '65001'),
    element('Email:Flag'),
    element('Email:ContentClass', 'urn:content-classes:message'),
    element('AirSyncBase:NativeBodyType', '2'),
    element('Email2:ConversationId', bytes(16)),
    element('Email2:ConversationIndex', bytes(22)),
    element('Email:Categories', element('Email:Category', 'Büro'), element('Email:Category', '重要')),
  );
  return element('Add', element('ServerId', `7:${i}`), application);
}

/** Encodes a Sync response of at least `targetBytes` bytes; returns it and the number of emails. */
export function syncResponse(targetBytes: number): { bytes: Uint8Array; emails: number } {
  const next = random(42);
  const commands = element('Commands');
  // Estimate from a sample, then build the whole collection once.
  const sample = encode(element('Commands', ...Array.from({ length: 50 }, (_, i) => email(i, random(i)))));
  const count = Math.ceil(targetBytes / (sample.length / 50));
  for (let i = 0; i < count; i++) commands.children.push(email(i, next));
  const sync = element(
    'Sync',
    element('Collections', element('Collection', element('SyncKey', '1509029063'), element('CollectionId', '7'), element('Status', '1'), commands, element('MoreAvailable'))),
  );
  return { bytes: encode(createDocument(sync)), emails: count };
}
