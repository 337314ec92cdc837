const http = require('http');
const { saveEvent } = require('./store');

const MAX_BODY = 1024 * 1024;

const server = http.createServer((req, res) => {
  if (req.method !== 'POST' || req.url !== '/events') {
    res.writeHead(404).end();
    return;
  }
  const chunks = [];
  let size = 0;
  req.on('data', (chunk) => {
    size += chunk.length;
    if (size > MAX_BODY) {
      res.writeHead(413).end();
      req.destroy();
      return;
    }
    chunks.push(chunk);
  });
  req.on('end', async () => {
    try {
      await saveEvent(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      res.writeHead(201).end();
    } catch (err) {
      res.writeHead(400).end();
    }
  });
});

server.listen(8080);
