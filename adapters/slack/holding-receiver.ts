import { ExpressReceiver } from '@slack/bolt';
import type { Request, Response } from 'express';

const HOLD = 'tsidHoldAck';

/**
 * Asks that this request be acknowledged only once its listeners finished (the overflow
 * inbox: its turn must be written before Slack hears 2xx, or it could be lost).
 */
export function holdSlackAck(res: Response): void {
  res.locals[HOLD] = true;
}

/**
 * Bolt's Express receiver, except that a request marked by `holdSlackAck` is answered after
 * its listeners, as Bolt's `processBeforeResponse` does for every request. Bolt reads that
 * setting once, synchronously, when a request starts, so it is set for that request only.
 */
export class HoldingReceiver extends ExpressReceiver {
  override requestHandler(req: Request, res: Response): Promise<void> {
    const receiver = this as unknown as { processBeforeResponse: boolean };
    const usual = receiver.processBeforeResponse;
    if (res.locals[HOLD] === true) receiver.processBeforeResponse = true;
    try {
      return super.requestHandler(req, res);
    } finally {
      receiver.processBeforeResponse = usual;
    }
  }
}
