import { Provider } from '@nestjs/common';
import { PUSHPAGE_CONFIG, ResolvedPushpageOptions } from '../options';
import { DiskUploadStorage } from './disk-upload-storage';
import { MemoryUploadStorage } from './memory-upload-storage';
import { PUSHPAGE_UPLOAD_STORAGE, UploadStorage } from './upload-storage';

/** The app's upload storage: its own, else a directory, else memory. */
export const uploadStorageProvider: Provider = {
  provide: PUSHPAGE_UPLOAD_STORAGE,
  useFactory: (config: ResolvedPushpageOptions): UploadStorage =>
    config.uploadStorage ??
    (config.uploadDirectory
      ? new DiskUploadStorage(config.uploadDirectory)
      : new MemoryUploadStorage()),
  inject: [PUSHPAGE_CONFIG],
};
