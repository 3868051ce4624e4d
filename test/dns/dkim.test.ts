// DKIM keys against the real test DNS server: sizes read from p= (768, 1024, 2048, 4096 bits,
// generated here), a key behind an ESP's CNAME, revoked, testing, unreadable and missing keys.
import { generateKeyPairSync } from 'node:crypto';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readKey } from '../../server/src/dns/dkim';
import { useDnsServer } from './setup';
import { check, findingsOf, rsaKey } from './zones';

const { server } = useDnsServer({ with4096BitKey: true });

test('readKey reads the modulus length of SPKI and PKCS#1 keys and sizes Ed25519', () => {
  assert.equal(readKey('rsa', rsaKey(1024)).bits, 1024);
  const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });
  const pkcs1 = publicKey.export({ type: 'pkcs1', format: 'der' }).toString('base64');
  assert.equal(readKey('rsa', pkcs1).bits, 1024);
  assert.equal(readKey('ed25519', Buffer.alloc(32, 7).toString('base64')).bits, 256);
  assert.match(readKey('rsa', 'not base64!').error!, /base64/);
  assert.match(readKey('rsa', Buffer.from('hello').toString('base64')).error!, /not an RSA public key/);
});

test('key sizes: under 1024 bits an error, 1024 a warning, 2048 and 4096 fine', async () => {
  const r = await check('keys.test', { server: server().address, selectors: ['k768', 'k1024', 'k2048', 'k4096'] });
  assert.deepEqual(r.dkim.map((d) => [d.selector, d.keyBits, d.status]), [['k768', 768, 'ok'], ['k1024', 1024, 'ok'], ['k2048', 2048, 'ok'], ['k4096', 4096, 'ok']]);
  const weak = findingsOf(r, 'dkim-key-weak');
  assert.deepEqual(weak.map((f) => [f.name, f.severity]), [['k768._domainkey.keys.test', 'error'], ['k1024._domainkey.keys.test', 'warning']]);
  assert.match(weak[0]!.fix!.value!, /^v=DKIM1; k=rsa; p=/);
});

test('a key published as a CNAME to the ESP is followed and sized', async () => {
  const r = await check('keys.test', { server: server().address, selectors: ['esp'] });
  assert.deepEqual(r.dkim[0]!.cnames, ['esp1._domainkey.u123.esp-dkim.test']);
  assert.equal(r.dkim[0]!.keyBits, 2048);
  assert.ok(!r.findings.some((f) => f.section === 'dkim'));
});

test('revoked, testing, unreadable and missing keys', async () => {
  const r = await check('keys.test', { server: server().address, selectors: ['revoked', 'testing', 'garbage', 'nosuch'] });
  assert.deepEqual(r.dkim.map((d) => d.status), ['revoked', 'ok', 'invalid', 'missing']);
  assert.equal(findingsOf(r, 'dkim-key-revoked')[0]?.severity, 'error');
  assert.equal(findingsOf(r, 'dkim-testing')[0]?.fix?.value?.includes('t=y'), false);
  assert.equal(findingsOf(r, 'dkim-invalid')[0]?.severity, 'error');
  const [missing] = findingsOf(r, 'dkim-key-missing');
  assert.equal(missing?.severity, 'error');
  assert.equal(missing!.name, 'nosuch._domainkey.keys.test');
  assert.equal(r.dkim[3]!.keyBits, null);
});

test('without selectors nothing is guessed: DKIM is reported as not checked', async () => {
  const r = await check('good.test', { server: server().address });
  assert.deepEqual(r.dkim, []);
  assert.ok(findingsOf(r, 'dkim-no-selector').length === 1);
  assert.ok(r.verdicts.every((v) => v.status === 'unknown'));
  assert.ok(!server().log.some((q) => q.name.includes('._domainkey.good.test') && q.name !== 's1._domainkey.good.test'));
});
