import { OtpRpc } from '@twofold/contracts';
import { bindRpc, RpcController } from '@twofold/platform';
import { EnrollmentService } from './enrollment.service';

@RpcController()
export class EnrollmentHandler {
  constructor(private readonly enrollment: EnrollmentService) {}

  readonly rpc = bindRpc(OtpRpc, {
    startEnrollment: (request) => this.enrollment.start(request),
    confirmEnrollment: (request, meta) => this.enrollment.confirm(request, meta),
  });
}
