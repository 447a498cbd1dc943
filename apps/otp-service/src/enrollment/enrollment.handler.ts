import {
  type Enrollment,
  type MemberCodeRequest,
  OtpRpc,
  type StartEnrollmentRequest,
} from '@twofold/contracts';
import { RpcController, RpcHandler, RpcMeta, RpcPayload, type RequestMeta } from '@twofold/platform';
import { EnrollmentService } from './enrollment.service';

@RpcController()
export class EnrollmentHandler {
  constructor(private readonly enrollment: EnrollmentService) {}

  @RpcHandler(OtpRpc.startEnrollment)
  start(@RpcPayload(OtpRpc.startEnrollment) request: StartEnrollmentRequest): Promise<Enrollment> {
    return this.enrollment.start(request);
  }

  @RpcHandler(OtpRpc.confirmEnrollment)
  confirm(
    @RpcPayload(OtpRpc.confirmEnrollment) request: MemberCodeRequest,
    @RpcMeta() meta: RequestMeta,
  ): Promise<{ enabled: true; recoveryCodesRemaining: number; securityStamp: string }> {
    return this.enrollment.confirm(request, meta);
  }
}
