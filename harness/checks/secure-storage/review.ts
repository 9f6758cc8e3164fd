import type { Declarations } from '../../profile/schema.js';
import { cipherNames, type CryptrecList } from './cryptrec-list.js';

type StoredAsset = NonNullable<Declarations['secureStorage']>['assets'][number];

export interface AssetReview {
  asset: string;
  listed: string[];
  notListed: Array<{ name: string; why: string }>;
  /** What a reviewer should look at first; null when the protection names only listed ciphers. */
  hint: string | null;
}

/**
 * Review hints for declared storage protection (S1.1-11 評価項目1: encrypted with ciphers from CRYPTREC's
 * list). A declaration is free text, so the hints only say what it names; a person decides.
 */
export function reviewStoredAssets(assets: StoredAsset[], list: CryptrecList): AssetReview[] {
  return assets.map(({ asset, protection }) => {
    const { listed, notListed } = cipherNames(protection, list);
    const hint =
      notListed.length > 0
        ? `${asset}: the declared protection "${protection}" names ${notListed.map((n) => `${n.name} (${n.why})`).join(', ')}`
        : listed.length === 0
          ? `${asset}: the declared protection "${protection}" names no cipher from the ${list.list}; check what protects it`
          : null;
    return { asset, listed, notListed, hint };
  });
}
