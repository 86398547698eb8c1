// A loopback OpenID issuer for the Pester tests: serves discovery and the JWKS read from a file (re-read on every
// request, so a test can rotate keys), on 127.0.0.1 with an OS-chosen port. Prints the port, exits when stdin closes.
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';

const jwksFile = process.argv[2];
const server = createServer((req, res) => {
  const base = `http://127.0.0.1:${server.address().port}`;
  if (req.url === '/.well-known/openid-configuration') {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ issuer: base, jwks_uri: `${base}/keys` }));
  } else if (req.url === '/keys') {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(readFileSync(jwksFile));
  } else {
    res.writeHead(404);
    res.end();
  }
});
server.listen(0, '127.0.0.1', () => process.stdout.write(`${server.address().port}\n`));
process.stdin.on('end', () => server.close(() => process.exit(0)));
process.stdin.resume();
setTimeout(() => process.exit(0), 10 * 60 * 1000).unref();
