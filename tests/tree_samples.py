"""Functions the tree, risk and lexer tests share: a Python and a C pair, and two golden functions with hunks."""


PY_BEFORE = '''def run_backup(target):
    name = target.strip()
    cmd = "tar czf /backups/%s.tgz /srv/%s" % (name, name)
    os.system(cmd)
    return name
'''


PY_AFTER = '''def run_backup(target):
    name = target.strip()
    if not name.isalnum():
        raise ValueError("bad target")
    subprocess.run(["tar", "czf", f"/backups/{name}.tgz", f"/srv/{name}"], check=True)
    return name
'''


C_BEFORE = '''int copy_name(char *dst, const char *src) {
    int n = 0;
    strcpy(dst, src);
    n = strlen(dst);
    return n;
}
'''


C_AFTER = '''int copy_name(char *dst, size_t cap, const char *src) {
    int n = 0;
    snprintf(dst, cap, "%s", src);
    n = strlen(dst);
    return n;
}
'''


C_RLE = """size_t rle_decode(const unsigned char *in, size_t n, unsigned char *out, size_t out_cap) {
    size_t ip = 0, op = 0;
    while (ip + 1 < n) {
        size_t count = in[ip++];
        if (count > out_cap - op)
            return (size_t)-1;
        memset(out + op, in[ip++], count);
        op += count;
    }
    return op;
}
"""


JS_THUMB = """function createThumbnail(sourcePath, size, outPath, cb) {
  const args = [sourcePath, '-resize', size + 'x' + size, outPath];
  execFile('convert', args, { timeout: 15000 }, (err, stdout, stderr) => {
    cb(err);
  });
}
"""
