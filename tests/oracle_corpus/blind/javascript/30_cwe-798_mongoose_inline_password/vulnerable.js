const mongoose = require('mongoose');

const MONGO_URI = 'mongodb+srv://cluster0.abcde.mongodb.net/orders?retryWrites=true&w=majority';

async function connectDatabase() {
  mongoose.set('strictQuery', true);
  await mongoose.connect(MONGO_URI, {
    user: 'orders_svc',
    pass: 'Pr0dOrders!2024',
    serverSelectionTimeoutMS: 10000,
  });
  mongoose.connection.on('error', (err) => console.error('MongoDB connection error:', err.message));
  return mongoose.connection;
}

module.exports = { connectDatabase };
