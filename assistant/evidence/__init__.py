"""Evidence files given with a referral: resumable uploads, checks of their content, encrypted
storage, scanning, and who may read them (docs/data-protection.md, "Files")."""
