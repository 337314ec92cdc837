import Koa from 'koa';
import Router from '@koa/router';
import { createReadStream } from 'node:fs';
import path from 'node:path';

const MANUAL_DIR = '/srv/manuals';

const app = new Koa();
const router = new Router();

router.get('/manual/:lang', (ctx) => {
  const file = `manual-${ctx.params.lang}.pdf`;
  ctx.type = 'application/pdf';
  ctx.body = createReadStream(path.join(MANUAL_DIR, file));
});

app.use(router.routes());
app.listen(3000);
