import { Injectable } from '@nestjs/common';
import { type HealthReport } from '@twofold/contracts';
import { withDeadline } from '../deadline';

export type HealthCheck = () => Promise<boolean>;

const CHECK_TIMEOUT_MS = 1500;

/**
 * Readiness of this process: each registered dependency check runs with a deadline, so a
 * hanging dependency reports "down" instead of hanging the probe.
 */
@Injectable()
export class HealthService {
  private readonly checks = new Map<string, HealthCheck>();
  private service = 'unknown';

  setService(name: string): void {
    this.service = name;
  }

  register(name: string, check: HealthCheck): void {
    this.checks.set(name, check);
  }

  async report(): Promise<HealthReport> {
    const entries = await Promise.all(
      [...this.checks].map(
        async ([name, check]) =>
          [name, (await withDeadline(check(), CHECK_TIMEOUT_MS).catch(() => false)) ? 'up' : 'down'] as const,
      ),
    );
    return {
      service: this.service,
      ready: entries.every(([, s]) => s === 'up'),
      checks: Object.fromEntries(entries),
    };
  }
}
