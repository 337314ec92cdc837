const http = require('http');
const { saveEvent } = require('./store');


const server = http.createServer((req, res) => {
  if (req.method !== 'POST' || req.url !== '/events') {
    res.writeHead(404).end();
    return;
  }
  const chunks = [];
  req.on('data', (chunk) => {
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
