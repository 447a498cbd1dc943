import {
  type Enrollment,
  OtpRpc,
  type RpcRequest,
  type RpcResponse,
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
    @RpcPayload(OtpRpc.confirmEnrollment) request: RpcRequest<typeof OtpRpc.confirmEnrollment>,
    @RpcMeta() meta: RequestMeta,
  ): Promise<RpcResponse<typeof OtpRpc.confirmEnrollment>> {
    return this.enrollment.confirm(request, meta);
  }
}
