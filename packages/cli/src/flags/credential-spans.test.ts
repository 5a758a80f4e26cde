import { describe, expect, it } from 'vitest';
import { credentialSpans, redactCredentials } from './credential-spans.js';

describe('redactCredentials', () => {
  it.each([
    ['a well-formed URL keeps its user name (as Go url.Redacted)', 'http://alice:s3cret@h:1', 'http://alice:[REDACTED]@h:1'],
    ['a bare token is hidden whole', 'https://t0ken@h:1', 'https://[REDACTED]@h:1'],
    ['an empty user', 'http://:s3cret@h', 'http://:[REDACTED]@h'],
    ['an empty password hides nothing', 'http://u:@h', 'http://u:@h'],
    ['no scheme', 'user:s3cret@h:1', 'user:[REDACTED]@h:1'],
    ['only the entry with credentials, not the one before it', 'http://a:1,user:s3cret@h:1', 'http://a:1,user:[REDACTED]@h:1'],
    ['each endpoint of a list', 'http://u:p1@h:1,https://v:p2@k:2', 'http://u:[REDACTED]@h:1,https://v:[REDACTED]@k:2'],
    ['a password holding a slash', 'http://u:s3/cret@h', 'http://u:[REDACTED]@h'],
    ['a password holding "//"', 'http://u:s3//cret@h', 'http://u:[REDACTED]@h'],
    ['a password holding an @', 'http://u:s3@cret@[::1', 'http://u:[REDACTED]@[::1'],
    ['a password holding a comma', 'http://u:s3,cret@h', 'http://u:[REDACTED]@h'],
    ['a password holding two commas', 'http://u:s,3,cret@h', 'http://u:[REDACTED]@h'],
    ['a password holding a blank', 'http://u:s3 cret@h', 'http://u:[REDACTED]@h'],
    ['scheme with one slash', 'http:/u:s3cret@h', 'http:/u:[REDACTED]@h'],
    ['scheme without slashes (ambiguous: hides more)', 'http:u:s3cret@h', 'http:[REDACTED]@h'],
    ['no @: nothing', 'http://a:1,http://b:2', 'http://a:1,http://b:2'],
    ['the @ at the start', '@h', '@h'],
    ['a bare word after a comma runs back (ambiguous: hides more)', 'h:1,x@h', 'h:[REDACTED]@h'],
  ])('%s', (_rule, value, expected) => {
    expect(redactCredentials(value)).toBe(expected);
  });

  it('finds the spans on the whole value when asked for a piece of it', () => {
    const value = 'http://u:s3,cret@h';
    expect(redactCredentials(value, 0, value.indexOf(','))).toBe('http://u:[REDACTED]');
    expect(redactCredentials(value, value.indexOf(',') + 1)).toBe('[REDACTED]@h');
  });

  it('reports positions in the raw value', () => {
    expect(credentialSpans('http://a:1,admin:s3cret@h:1')).toEqual([{ start: 17, end: 23 }]);
  });
});
