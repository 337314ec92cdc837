const http = require('http');
const { URL } = require('url');

const server = http.createServer((req, res) => {
  const url = new URL(req.url, `http://${req.headers.host}`);
  if (url.pathname === '/logout') {
    res.setHeader('Set-Cookie', 'sid=; Max-Age=0; Path=/; HttpOnly');
    let returnTo = url.searchParams.get('returnTo') || '/';
    if (!returnTo.startsWith('/') || returnTo.startsWith('//') || returnTo.includes('\\')) {
      returnTo = '/';
    }
    res.statusCode = 302;
    res.setHeader('Location', returnTo);
    res.end();
    return;
  }
  res.statusCode = 404;
  res.end('not found');
});

server.listen(8080);
