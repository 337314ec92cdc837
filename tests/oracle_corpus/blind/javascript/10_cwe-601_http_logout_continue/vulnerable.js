const http = require('http');

function handleLogout(req, res) {
  const url = new URL(req.url, 'http://localhost');
  const target = url.searchParams.get('continue') || '/';
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
