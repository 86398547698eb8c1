// Validations per second with jose, for bench/tokens.ps1. Usage: node bench.mjs <tokens.json> <iterations>
import * as jose from 'jose';
import { readFileSync } from 'node:fs';

const [file, n] = process.argv.slice(2);
const { jwks, tokens, issuer, audience } = JSON.parse(readFileSync(file, 'utf8'));
const keySet = jose.createLocalJWKSet(jwks);
const iterations = Number(n);
const result = {};
for (const alg of Object.keys(tokens)) {
  const token = tokens[alg];
  for (let i = 0; i < 200; i++) await jose.jwtVerify(token, keySet, { issuer, audience, algorithms: [alg] });
  const start = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) await jose.jwtVerify(token, keySet, { issuer, audience, algorithms: [alg] });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  result[alg] = iterations / seconds;
}
process.stdout.write(JSON.stringify(result));
