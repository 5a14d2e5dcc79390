// The project's code-page table against the shared reference table (every ActiveSync tag token,
// pages 0-25) and its list of names that implementations disagree on.

import { describe, expect, it } from 'vitest';
import { CODE_PAGES, findTag, findTagOnAnyPage, pageByNamespace, tagAliases, tagName } from '../../src/wbxml/index.js';
import { readTsv } from './helpers.js';

const rows = readTsv('ms-aswbxml-codepages.tsv');
const disagreements = readTsv('ms-aswbxml-name-disagreements.tsv');

describe('code pages', () => {
  it('has pages 0 to 25 with the reference names and Microsoft namespaces', () => {
    expect(CODE_PAGES).toHaveLength(26);
    for (const row of rows) {
      const page = CODE_PAGES[Number(row.page_index)]!;
      expect(page.name).toBe(row.page_name);
      expect(page.namespace).toBe(`${row.page_name}:`);
    }
  });

  it('names every token of the reference table exactly as the reference does', () => {
    expect(rows.length).toBe(656);
    for (const row of rows) {
      expect(tagName(Number(row.page_index), parseInt(row.token_hex!, 16)), `${row.page_name} ${row.token_hex}`).toBe(row.tag_name);
    }
  });

  it('has no token the reference table lacks', () => {
    const reference = new Set(rows.map((row) => `${row.page_index}/${parseInt(row.token_hex!, 16)}`));
    for (const page of CODE_PAGES) {
      page.tags.forEach((name, token) => {
        if (name !== undefined) expect(reference.has(`${page.index}/${token}`), `${page.name} ${name}`).toBe(true);
      });
    }
  });

  it('finds every tag by name on its page', () => {
    for (const row of rows) {
      expect(findTag(Number(row.page_index), row.tag_name!)).toBe(parseInt(row.token_hex!, 16));
    }
  });

  it("finds tags by the other implementations' names (libwbxml's Recurrence_Type and the like)", () => {
    let checked = 0;
    for (const row of disagreements) {
      const page = Number(row.page_index);
      const token = parseInt(row.token_hex!, 16);
      expect(tagName(page, token)).toBe(row.chosen_name);
      for (const [source, name] of Object.entries(JSON.parse(row.differing_sources!) as Record<string, string>)) {
        // Syncroton swaps two pairs of RightsManagement names: those are bugs, not aliases.
        if (tagName(page, findTag(page, name)!) === name && findTag(page, name) !== token) {
          expect(source).toBe('syncroton');
          continue;
        }
        expect(findTag(page, name), `${row.page_name}:${name} (${source})`).toBe(token);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(60);
    expect(findTag(2, 'Recurrence_Type')).toBe(0x29);
    expect(tagAliases(4, 0x1c)).toContain('Recurrence_Type');
    // Names noted in the disagreement table's notes rather than its source column.
    expect(findTag(14, 'DeviceEncryptionEnabled')).toBe(0x10);
    expect(findTag(11, 'CheckCrl')).toBe(0x09);
    expect(findTag(18, 'SMTPAddress')).toBe(0x1f);
    expect(findTag(25, 'GALSearchCriterion')).toBe(0x19);
    expect(findTag(0, 'RTFTruncation')).toBe(0x1a);
    expect(findTag(17, 'Annontation')).toBe(0x21);
    expect(findTag(2, 'AttOId')).toBe(0x09);
  });

  it('has no alias that is another tag of the same page, and no two tags differing only in case', () => {
    for (const page of CODE_PAGES) {
      const folded = new Set<string>();
      page.tags.forEach((name, token) => {
        if (name === undefined) return;
        expect(folded.has(name.toLowerCase()), `${page.name}:${name}`).toBe(false);
        folded.add(name.toLowerCase());
        for (const alias of tagAliases(page.index, token)) {
          const other = page.tags.findIndex((tag) => tag?.toLowerCase() === alias.toLowerCase());
          expect(other === -1 || other === token, `${page.name}:${alias}`).toBe(true);
        }
      });
    }
  });

  it('finds pages by namespace ignoring case and the colon', () => {
    expect(pageByNamespace('AirSync:')?.index).toBe(0);
    expect(pageByNamespace('airsync:')?.index).toBe(0);
    expect(pageByNamespace('AirSyncBase')?.index).toBe(17);
    expect(pageByNamespace('Gal:')?.index).toBe(16);
    expect(pageByNamespace('Nope:')).toBeUndefined();
  });

  it('lists every page defining a name', () => {
    expect(findTagOnAnyPage('Provision')).toEqual([[14, 0x05]]);
    expect(findTagOnAnyPage('Status').length).toBeGreaterThan(10);
  });
});
