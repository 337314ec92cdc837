const express = require('express');

const app = express();
app.use(express.json());

app.post('/formula', (req, res) => {
  const formula = String(req.body.formula || '');
  try {
    const value = new Function(`return (${formula});`)();
    res.json({ value });
  } catch (err) {
    res.status(400).json({ error: 'invalid formula' });
  }
});

app.listen(3000);
