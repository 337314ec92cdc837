const express = require('express');
const multer = require('multer');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { execSync } = require('child_process');

const app = express();
const upload = multer({ storage: multer.memoryStorage(), limits: { fileSize: 20 * 1024 * 1024 } });

app.post('/gzip', upload.single('file'), (req, res) => {
  const tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gzip-'));
  const tmpFile = path.join(tmpDir, 'upload.bin');
  fs.writeFileSync(tmpFile, req.file.buffer);
  execSync(`gzip -9 -f ${tmpFile}`);
  res.download(`${tmpFile}.gz`, 'upload.gz');
});

app.listen(3000);
