const http = require('http');
const { enqueue } = require('./queue');

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    req.on('data', (chunk) => {
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

const server = http.createServer(async (req, res) => {
  if (req.method !== 'POST' || req.url !== '/events') {
    res.writeHead(404).end();
    return;
  }
  try {
    const event = JSON.parse((await readBody(req)).toString('utf8'));
    await enqueue(event);
    res.writeHead(202, { 'Content-Type': 'application/json' }).end('{"queued":true}');
  } catch (err) {
    res.writeHead(err.status || 400).end();
  }
});

server.listen(Number(process.env.PORT) || 8081);
