const express = require('express');
const { startDeployment } = require('./deployments');
const { requireRole } = require('./auth');

const RELEASE_TAG = /^(\d+\.?)+$/;
const router = express.Router();

function isValidReleaseTag(tag) {
  return typeof tag === 'string' && RELEASE_TAG.test(tag);
}

router.post('/deployments', requireRole('deployer'), express.json(), async (req, res, next) => {
  const { service, tag } = req.body || {};
  if (!isValidReleaseTag(tag)) {
    return res.status(400).json({ error: 'tag must look like 1.2.3' });
  }
  try {
    const deployment = await startDeployment(String(service), tag, req.user.id);
    res.status(202).json(deployment);
  } catch (err) {
    next(err);
  }
});

module.exports = router;
