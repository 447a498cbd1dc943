import { Injectable } from '@nestjs/common';
import { type HealthReport } from '@twofold/contracts';

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
        async ([name, check]) => [name, (await withDeadline(check())) ? 'up' : 'down'] as const,
      ),
    );
    return {
      service: this.service,
      ready: entries.every(([, s]) => s === 'up'),
      checks: Object.fromEntries(entries),
    };
  }
}

async function withDeadline(check: Promise<boolean>): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), CHECK_TIMEOUT_MS);
  });
  try {
    return await Promise.race([check.catch(() => false), deadline]);
  } finally {
    clearTimeout(timer);
  }
}
