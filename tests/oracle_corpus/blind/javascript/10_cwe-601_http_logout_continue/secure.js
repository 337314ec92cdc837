const http = require('http');

function handleLogout(req, res) {
  const url = new URL(req.url, 'http://localhost');
  let target = '/';
  try {
    // Resolve against a placeholder origin the way a browser would: only same-origin paths survive.
    const resolved = new URL(url.searchParams.get('continue') || '/', 'http://localhost');
    if (resolved.origin === 'http://localhost') target = `${resolved.pathname}${resolved.search}`;
  } catch {
    target = '/';
  }
  res.writeHead(302, {
    Location: target,
    'Set-Cookie': 'sid=; Path=/; Max-Age=0; HttpOnly; Secure; SameSite=Lax',
  });
  res.end();
}

http.createServer((req, res) => {
  if (req.method === 'POST' && req.url.startsWith('/logout')) return handleLogout(req, res);
  res.writeHead(404).end();
}).listen(process.env.PORT || 8080);
