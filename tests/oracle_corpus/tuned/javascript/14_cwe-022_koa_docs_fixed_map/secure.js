import Koa from 'koa';
import Router from '@koa/router';
import { createReadStream } from 'node:fs';
import path from 'node:path';

const MANUAL_DIR = '/srv/manuals';
const MANUALS = { en: 'manual-en.pdf', de: 'manual-de.pdf', fr: 'manual-fr.pdf' };

const app = new Koa();
const router = new Router();

router.get('/manual/:lang', (ctx) => {
  const file = MANUALS[ctx.params.lang];
  if (!file) {
    ctx.throw(404, 'no manual in that language');
  }
  ctx.type = 'application/pdf';
  ctx.body = createReadStream(path.join(MANUAL_DIR, file));
});

app.use(router.routes());
app.listen(3000);
