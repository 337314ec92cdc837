import AdmZip from 'adm-zip';
import fs from 'node:fs';
import path from 'node:path';

const PLUGIN_ROOT = path.resolve('plugins');

export function installPlugin(zipPath, pluginName) {
  const dest = path.join(PLUGIN_ROOT, path.basename(pluginName));
  const zip = new AdmZip(zipPath);
  for (const entry of zip.getEntries()) {
    if (entry.isDirectory) continue;
    const outPath = path.join(dest, entry.entryName);
    fs.mkdirSync(path.dirname(outPath), { recursive: true });
    fs.writeFileSync(outPath, entry.getData());
  }
  return dest;
}
