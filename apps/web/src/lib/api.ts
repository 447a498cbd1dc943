export { ApiError, type Client as Api, createClient as createApi, type StepUpNeed } from '@twofold/client';
