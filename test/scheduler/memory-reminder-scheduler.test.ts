import { MemoryReminderScheduler } from '../../src/scheduler/reminder-scheduler.js';
import { describeReminderSchedulerContract } from './reminder-scheduler.contract.js';

describeReminderSchedulerContract('memory', async () => ({
  scheduler: new MemoryReminderScheduler(),
  others: [],
  close: async () => undefined,
}));
