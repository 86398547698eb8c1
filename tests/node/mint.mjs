// Mints tokens and DPoP proofs with `jose`, an implementation independent of CloudIdentity, for the Pester tests.
// Usage: node mint.mjs tokens <issuer> <audience>   |   node mint.mjs dpop <method> <uri>
// Prints one JSON object on stdout. Private keys never leave this process.
import * as jose from 'jose';
import { createHash, randomUUID } from 'node:crypto';

const [mode, a, b] = process.argv.slice(2);
const now = Math.floor(Date.now() / 1000);

async function tokens(issuer, audience) {
  const algs = ['RS256', 'PS256', 'ES256', 'ES384', 'EdDSA'];
  const keys = [];
  const out = {};
  for (const alg of algs) {
    const { privateKey, publicKey } = await jose.generateKeyPair(alg, alg === 'EdDSA' ? { crv: 'Ed25519' } : {});
    const jwk = await jose.exportJWK(publicKey);
    jwk.kid = `jose-${alg}`;
    jwk.alg = alg;
    jwk.use = 'sig';
    keys.push(jwk);
    out[alg] = await new jose.SignJWT({ scp: 'read' })
      .setProtectedHeader({ alg, kid: jwk.kid, typ: 'JWT' })
      .setIssuer(issuer).setAudience(audience).setSubject('user-1')
      .setIssuedAt(now).setExpirationTime(now + 3600)
      .sign(privateKey);
  }
  return { jwks: { keys }, tokens: out };
}

async function dpop(method, uri) {
  const { privateKey, publicKey } = await jose.generateKeyPair('ES256');
  const jwk = await jose.exportJWK(publicKey);
  const jkt = await jose.calculateJwkThumbprint(jwk, 'sha256');
  const as = await jose.generateKeyPair('RS256');
  const asJwk = { ...(await jose.exportJWK(as.publicKey)), kid: 'as-1', alg: 'RS256' };
  const accessToken = await new jose.SignJWT({ cnf: { jkt } })
    .setProtectedHeader({ alg: 'RS256', kid: 'as-1', typ: 'at+jwt' })
    .setIssuer('https://as.example').setAudience('https://api.example.com').setSubject('user-1')
    .setIssuedAt(now).setExpirationTime(now + 600)
    .sign(as.privateKey);
  const ath = createHash('sha256').update(accessToken).digest('base64url');
  const proof = async (claims) => new jose.SignJWT(claims)
    .setProtectedHeader({ alg: 'ES256', typ: 'dpop+jwt', jwk })
    .setIssuedAt(now).setJti(randomUUID())
    .sign(privateKey);
  return {
    jkt, accessToken, asJwks: { keys: [asJwk] },
    proof: await proof({ htm: method, htu: uri, ath }),
    proofWithoutAth: await proof({ htm: method, htu: uri }),
  };
}

const result = mode === 'dpop' ? await dpop(a, b) : await tokens(a, b);
process.stdout.write(JSON.stringify(result));
