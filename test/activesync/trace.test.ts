import { describe, expect, it } from 'vitest';
import { headerValue, redactHeaders } from '../../src/activesync/trace';

describe('trace headers', () => {
  it('redact credentials but keep the scheme visible', () => {
    expect(
      redactHeaders([
        ['Authorization', 'Basic YWxpY2U6czNjcmV0'],
        ['proxy-authorization', 'Negotiate abc'],
        ['X-MS-PolicyKey', '123'],
      ]),
    ).toEqual([
      ['Authorization', 'Basic [redacted]'],
      ['proxy-authorization', 'Negotiate [redacted]'],
      ['X-MS-PolicyKey', '123'],
    ]);
  });

  it('are looked up without regard to case', () => {
    expect(headerValue([['ms-asprotocolversions', '14.1']], 'MS-ASProtocolVersions')).toBe('14.1');
    expect(headerValue([], 'X')).toBeUndefined();
  });
});
