import { describe, expect, it } from 'vitest';
import { DecodeCache } from '../../../src/ui/devtools/model/decoded';
import { parseHarEntry } from '../../../src/ui/devtools/model/har';
import { recordFromEntry, withResponseContent } from '../../../src/ui/devtools/model/record';
import { FOLDERSYNC_REQUEST, FOLDERSYNC_RESPONSE, harEntry } from './fixtures';

function folderSync(id: number) {
  const built = harEntry({ command: 'FolderSync', request: FOLDERSYNC_REQUEST, response: FOLDERSYNC_RESPONSE });
  return withResponseContent(recordFromEntry(id, parseHarEntry(built.entry)!), built.content, built.second);
}

describe('the decode cache', () => {
  it('retain forgets the trees and search text of every record but those kept', () => {
    const cache = new DecodeCache();
    const [one, two] = [folderSync(1), folderSync(2)];
    const tree = (r: ReturnType<typeof folderSync>) => cache.get(r, 'response');
    const first = [tree(one), tree(two)];
    cache.searchText(one);
    cache.retain(new Set([2]));
    // Kept: the same object; dropped: decoded anew.
    expect(tree(two)).toBe(first[1]);
    expect(tree(one)).not.toBe(first[0]);
  });
});
